# Desktop keyboard shortcuts (K11): the help that `?` shows and the Ctrl-K / ⌘K command
# palette. Fetched with the part that handles the keys, after the conversation list.

## Keyboard shortcuts and the command palette

inbox-command-next = Next conversation
inbox-command-previous = Previous conversation
inbox-command-search-list = Search the list
inbox-command-search-everything = Search everything
inbox-command-go-mine = Go to Mine
inbox-command-go-unassigned = Go to Unassigned
inbox-command-go-all = Go to All conversations
inbox-command-unreplied = Show only unreplied / show all
inbox-command-assign-me = Assign to me
inbox-command-close = Close conversation
inbox-command-snooze = Snooze conversation
inbox-command-reply = Write a reply
inbox-command-help = Keyboard shortcuts
inbox-command-palette = Command palette
# Two keys one after the other: "G then M".
inbox-keys-then = { $first } then { $second }

inbox-shortcuts-help-note = Letters work when no text field has the cursor. Esc closes.
inbox-shortcuts-assigned-to-you = Assigned to you
inbox-shortcuts-not-applicable = That does not apply to this conversation now.
inbox-shortcuts-command = Command
inbox-shortcuts-command-placeholder = Type a command
inbox-shortcuts-commands = Commands
