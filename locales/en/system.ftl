# What the app says when talking to the server or the browser goes wrong.

## Requests to the server (the server's own refusals are shown as it words them).

system-network-error = Cannot reach the server. Check your connection; we will keep trying.
system-unexpected-answer = The server sent an unexpected answer ({ $detail }).

## This device's push notifications.

system-push-unreadable = The browser gave a subscription this app cannot read.
system-push-blocked = Notifications are blocked for this site in the browser's settings.
system-push-not-allowed = Notifications were not allowed.
system-push-failed = The browser could not subscribe to pushes.
system-push-failed-reason = The browser could not subscribe to pushes: { $reason }
