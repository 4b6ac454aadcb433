# The website-chat page a customer (visitor) sees.

chat-title-default = Chat
chat-status-live = We reply here in real time
chat-status-reconnecting = Reconnecting…
chat-loading = Loading…
chat-not-found = This chat does not exist or is no longer available.

## The conversation.

chat-messages-label = Messages
chat-files-label = Files
chat-sending = Sending…
chat-not-sent = Not sent: { $reason }
chat-download = Download { $name }
chat-file-hold-failed = cannot hold the file
chat-file-offer-failed = cannot offer the file

## Writing a message.

chat-message-placeholder = Type your message
chat-message-label = Your message
chat-send = Send
chat-message-empty = The message is empty.
chat-message-too-long = The message is { $chars ->
    [one] { $chars } character
   *[other] { $chars } characters
} long; the limit is { $limit }.
chat-message-control-characters = The message contains invisible control characters.
