# What a push notification says (the service worker shows it as it is).

push-colleague = A colleague
push-mention = { $actor } mentioned you: { $text }
push-assigned-by = { $actor } assigned the conversation to you
push-assigned = The conversation was assigned to you
push-new-messages = { $count } new messages · { $text }
push-snooze-over = ⏰ The snooze is over: the conversation is back
push-reply = Reply
push-reply-placeholder = Write a reply…
push-not-sent = Your reply was not sent
push-offline = You are offline.
push-try-again = Open the conversation to try again.
