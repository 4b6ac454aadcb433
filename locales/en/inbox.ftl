# The inbox screen: sidebar, conversation list, search, notification centre and shortcuts.

## The page around the panes

inbox-loading = Loading…
inbox-workspace-not-found = Workspace not found
inbox-go-home = Go to your inbox
inbox-thread-pane = Conversation
inbox-pick-conversation = Pick a conversation to read and reply.
inbox-folders = Folders
inbox-search-everything = Search everything
inbox-blocked-no-snooze = Blocked contacts cannot be snoozed.
inbox-retry-failed = Could not retry: { $error }
inbox-message-gone = That message is not in this conversation any more.
# Told to screen readers when a contact writes in a conversation not on screen.
inbox-new-message-from = New message from { $name }

## Sidebar

inbox-sidebar-close = Close folders
inbox-sidebar-workspace = Workspace
inbox-sidebar-teams = Teams
inbox-sidebar-created-by-me = Created by me
inbox-sidebar-shared-with-me = Shared with me
inbox-sidebar-channels = Channels
inbox-sidebar-settings = Settings
inbox-sidebar-sign-out = Sign out
inbox-sidebar-open-title = Open conversations
# Screen readers read it before a folder's number of open conversations.
inbox-sidebar-open = open:
inbox-sidebar-unread-title = Conversations with unread messages

inbox-folder-all = All conversations
inbox-folder-mine = Mine
inbox-folder-unassigned = Unassigned
inbox-folder-blocked = Blocked
inbox-folder-team = Team
inbox-folder-custom = Custom inbox

## Conversation list

inbox-list-label = Conversations
inbox-list-unread = { $count ->
    [one] { $count } unread
   *[other] { $count } unread
}
inbox-list-new-contact = New contact
inbox-list-search = Search conversations
inbox-list-search-placeholder = Search name, phone or e-mail
inbox-list-clear-search = Clear search
inbox-list-status = Status
inbox-list-sort = Sort
inbox-list-unreplied = Unreplied
inbox-list-reconnecting = Reconnecting…
inbox-list-dismiss = Dismiss
inbox-list-load-more = Load more
inbox-list-empty-search = No conversations match “{ $search }”.
inbox-list-empty-unreplied = Nothing is waiting for a reply.
inbox-list-empty = No conversations here.

inbox-tab-all = All
inbox-tab-open = Open
inbox-tab-closed = Closed
inbox-tab-snoozed = Snoozed

inbox-sort-newest = Newest first
inbox-sort-oldest = Oldest first
inbox-sort-longest = Longest in status
inbox-sort-shortest = Shortest in status

# Swiping a row: what shows under it, and what is said after.
inbox-list-swipe-close = Close
inbox-list-swipe-snooze = Snooze
inbox-list-swipe-unsnooze = Unsnooze
inbox-list-closing-note-needed = A closing note is needed: close it from the conversation.
inbox-list-closed = Closed
# $until: "today at 18:00", "tomorrow at 09:00", …
inbox-list-snoozed-until = Snoozed until { $until }
inbox-list-back-in-open = Back in Open

## A row of the list

inbox-row-no-messages = No messages yet
inbox-row-preview-comment = Comment: { $text }
inbox-row-preview-you = You: { $text }
# Screen readers read it before the number of unread messages.
inbox-row-unread = unread:

## Search everything

inbox-search-label = Search
inbox-search-field = Search contacts, messages and comments
inbox-search-placeholder = Contacts, messages and comments
inbox-search-hint = Type a name, a phone number or words from a message.
inbox-search-searching = Searching…
inbox-search-nothing = Nothing matches “{ $search }”.
inbox-search-contacts = Contacts
inbox-search-contacts-found = Contacts found
inbox-search-messages = Messages and comments
inbox-search-messages-found = Messages found
inbox-search-more = More messages
inbox-search-comment-by = { $sender } · comment

## Notification centre

inbox-centre-title = Notifications
inbox-centre-bell-unread = { $count ->
    [one] Notifications, { $count } unread
   *[other] Notifications, { $count } unread
}
inbox-centre-empty = Nothing yet. Mentions, assignments, new messages in your conversations and snoozes that end show up here.
inbox-centre-unread = Unread
inbox-centre-mark-all-read = Mark all read
inbox-centre-close = Close notifications

inbox-notification-mention = { $actor } mentioned you
inbox-notification-mention-colleague = A colleague mentioned you
inbox-notification-assigned-by = { $actor } assigned the conversation to you
inbox-notification-assigned = The conversation was assigned to you
inbox-notification-new-message = New message
inbox-notification-new-messages = { $count ->
    [one] { $count } new message
   *[other] { $count } new messages
}
inbox-notification-snooze-over = ⏰ Snooze is over

inbox-push-unsupported = This browser cannot show push notifications.
inbox-push-denied = Notifications are blocked for this site. Allow them in the browser's site settings to get pushes here.
inbox-push-on = Push notifications are on for this device.
inbox-push-turn-off = Turn off
inbox-push-offer = Get a push when something here needs you, even with the app closed.
inbox-push-turn-on = Turn on pushes
inbox-push-what = What is pushed
inbox-push-legend = Push me about
inbox-push-mentions = Mentions
inbox-push-assignments = Assignments
inbox-push-new-messages = New messages in my conversations
inbox-push-snoozes = Snoozes that end
inbox-push-snoozes-workspace = Push snoozes that end to their assignees (whole workspace)

## Typing indicators

inbox-typing-one = { $name } is typing…
inbox-typing-comment = { $name } is writing a comment…
inbox-typing-two = { $first } and { $second } are typing…
inbox-typing-more = { $count ->
    [one] { $first }, { $second } and { $count } other are typing…
   *[other] { $first }, { $second } and { $count } others are typing…
}

## The pop-up list of choices (commands, mentions, snippets)

inbox-picker-no-match = No match
inbox-picker-preview = Preview
