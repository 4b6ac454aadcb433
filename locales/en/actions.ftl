# A conversation's actions: close, snooze, assign, block.

## The bar above the thread: assignee, snooze, close, reopen, block.

actions-assignee = Assignee
actions-unassigned = Unassigned
actions-ai-agent = AI Agent
actions-members = Members
actions-teams = Teams
actions-snooze = Snooze
actions-snooze-title = Snooze until later
actions-snooze-blocked = Blocked contacts cannot be snoozed
actions-close = Close
actions-unsnooze = Unsnooze
actions-reopen = Reopen
actions-block-contact = Block contact
actions-unblock-contact = Unblock contact
actions-cancel = Cancel

## Closing dialog, with the closing notes the workspace asks for.

actions-close-title = Close the conversation with { $name }
actions-close-explained = It moves to the Closed tab and reopens when the contact writes again.
actions-closing-note-required = Closing note (required)
actions-closing-note-optional = Closing note (optional)
actions-closing-note-placeholder = What was done, and what is left
actions-closing-note-asked = Your workspace asks for a note on every closed conversation.
actions-closing-note-too-long = { $max ->
    [one] A closing note has at most { $max } character.
   *[other] A closing note has at most { $max } characters.
}
actions-close-without-note = Close without note
actions-close-conversation = Close conversation

## Snooze dialog: presets, their moments, a custom time; the reminder's "until when".

actions-snooze-until = Snooze until
actions-snooze-custom-time = Custom time

snooze-in-1-hour = In 1 hour
snooze-in-3-hours = In 3 hours
snooze-tomorrow-morning = Tomorrow, 09:00
snooze-next-monday-morning = Next Monday, 09:00
# Beside a preset: "Tue 1 Dec, 09:00".
snooze-preset-when = { $weekday } { $day } { $month }, { $time }
# Completes "Snoozed until …".
snooze-until-today = today at { $time }
snooze-until-tomorrow = tomorrow at { $time }
snooze-until-date = { $weekday } { $day } { $month } at { $time }
snooze-pick-time = Pick a date and time.
snooze-pick-future = Pick a time in the future.

## Block and unblock confirmations.

actions-block-title = Block { $name }?
actions-block-explained = Their conversation moves to the Blocked folder, which only members allowed to see blocked contacts can open. Snoozing ends.
actions-unblock-title = Unblock { $name }?
actions-unblock-explained = Their conversation comes back to the inbox and can be snoozed again.
actions-unblock = Unblock
actions-more = More actions
actions-dialogflow-on = Enable Dialogflow bot
actions-dialogflow-off = Disable Dialogflow bot
actions-shortcuts = Shortcuts
actions-shortcut-started = { $name } started.
