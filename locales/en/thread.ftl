# The open conversation: its header, its messages, search inside it.

## Thread header and messages list

thread-back = Back to conversations
thread-chip-open = Open
thread-chip-closed = Closed
thread-chip-snoozed = Snoozed
thread-chip-blocked = Blocked
thread-chip-bot = Bot answers
thread-search-conversation = Search this conversation
thread-contact-details = Contact details
thread-snoozed-until = Snoozed until { $until }. It comes back to Open then.
thread-messages = Messages
thread-show-earlier = Show earlier messages
thread-loading = Loading messages…
thread-no-quotes = { $channel } does not show quotes: write your reply without one.
thread-link-copied = Link copied
thread-copy-this-link = Copy this link: { $url }

## A channel kind's name (the others are product names)


## Search inside the conversation

thread-search-find = Find
thread-search-done = Done
thread-search-none = No message here matches.
thread-search-matches = Matches in this conversation

## A message: its content, sender, status and menu

thread-template-tag = WhatsApp template · { $name }
thread-image = Image
thread-image-open = Open image
thread-image-open-named = Open image { $name }
thread-image-unavailable = Image unavailable
thread-file-unavailable = { $name } unavailable
thread-unsupported = Unsupported message
thread-custom-payload = Custom payload
thread-files = Files
thread-internal-comment = Internal comment
thread-via-channel = via { $channel }
thread-quoted-from = Quoted message from { $name }
thread-message-actions = Message actions
thread-reply = Reply
thread-copy-link = Copy link

## Delivery statuses

thread-status-sending-title = Sending…
thread-status-sending = Sending
thread-status-pending = Pending
thread-status-sent = Sent
thread-status-delivered = Delivered
thread-status-read = Read
thread-status-failed = Failed
thread-not-sent = Not sent: { $reason }
thread-not-delivered = Not delivered: { $reason }
thread-not-delivered-refused = Not delivered: the channel refused it
thread-retry = Retry

## Files, voice and video

thread-download-named = Download { $name }
thread-download-size = Download ({ $size })
thread-playback-speed = Playback speed
thread-size-bytes = { $bytes } B
thread-size-kb = { $kb } KB
thread-size-mb = { $whole }.{ $tenth } MB
# A downloaded picture's file name when its address has none.
thread-image-file-name = image

## The image viewer

thread-download = Download
thread-share = Share
thread-close = Close
thread-copy-from-download = Copy the address from the Download link

## An e-mail in the thread

thread-email-show-quoted = Show quoted text
thread-email-images-held = Remote images are not loaded, to keep the sender from tracking who reads this.
thread-email-load-images = Load images
thread-email-images-not-loaded = Remote images in this e-mail are not loaded, to keep the sender from tracking who reads it.
thread-email-loading-images = Loading images…
thread-email-images-failed-count = { $count ->
    [one] { $count } image could not be loaded.
   *[other] { $count } images could not be loaded.
}
thread-email-images-failed = Images could not be loaded: { $reason }
thread-email-try-again = Try again
thread-email-frame-title = E-mail with its formatting
thread-email-show-plain = Show plain text
thread-email-show-formatting = Show formatting

## Replies (the composer's preview of the quoted message)

thread-quote-message = Message
thread-replying-to = Replying to { $name }
thread-replying-to-own = Replying to your message to { $contact }

## A channel's reply window (WhatsApp: 24 hours)

thread-window-closed = { $channel } takes messages only within { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
} of the contact's last message, and { $name } last wrote longer ago. You can reply when they write again; comments still work.
thread-window-closed-unnamed = { $channel } takes messages only within { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
} of the contact's last message, and the contact last wrote longer ago. You can reply when they write again; comments still work.
thread-translate = Translate
thread-translating = Translating…
thread-translated = Translated by AI
thread-original = Original
thread-view-original = View original
thread-view-translation = View translation
thread-sent-translated = Sent translated
thread-own-words = Written before translation
thread-view-own-words = View the words before translation
thread-view-sent = View as sent
thread-ai-agent-handles = The AI Agent is answering this conversation.
thread-takeover = Takeover
thread-taken-over = You took the conversation over from the AI Agent.
thread-takeover-blocked = { $name } is blocked: nobody can write to them until they are unblocked.
thread-takeover-no-channel = No connected channel reaches this contact: connect one in channel settings to write to them.
