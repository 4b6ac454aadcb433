# Settings → Channels: the workspace's channels, connecting and disconnecting them.

## The page and its list.

channels-back = Back to the inbox
channels-title = Channels
channels-intro = Where customers write to you. Messages from every channel arrive in the same inbox.
channels-connected-label = Connected channels
channels-loading = Loading…
channels-managers-only = Owners and managers connect and disconnect channels.
channels-connect-heading = Connect a channel
channels-now-connected = { $name } is connected.
channels-now-disconnected = { $name } is disconnected.

# Channel kinds whose names are words (the others are product names).

## A connected channel's card.

channels-webhook-tiktok = Webhook URL for TikTok's developer portal
channels-webhook-meta = Callback URL for Meta's app dashboard
channels-check = Check
channels-checking = Checking…
channels-disconnect = Disconnect
channels-disconnect-warning = Nothing more goes out or comes in; conversations stay.
channels-keep = Keep

## The connect form.

channels-form-label = Connect { $channel }
channels-cancel = Cancel
channels-connect = Connect
channels-security-none = None (local network only)
channels-field-required = { $field } is required.
channels-field-port-range = { $field }: a number from 1 to 65535.

## The connect form's fields: their labels and what goes in them.

channels-field-name = Name agents see
channels-hint-optional = Optional
channels-field-bot-token = Bot token
channels-hint-bot-token = 123456789:AA… from @BotFather
channels-field-phone-number-id = Phone number id
channels-hint-phone-number-id = Digits, from API Setup in Meta's app dashboard
channels-field-access-token = Access token
channels-hint-whatsapp-access-token = A system user's permanent token
channels-hint-tiktok-access-token = The account's access token
channels-field-app-secret = App secret
channels-hint-whatsapp-app-secret = Signs Meta's notifications
channels-hint-tiktok-app-secret = Signs TikTok's webhook calls
channels-field-verify-token = Verify token
channels-hint-verify-token = Any phrase; enter the same at Meta
channels-field-business-account-id = WhatsApp Business Account id
channels-hint-business-account-id = For templates outside the 24-hour window
channels-field-business-id = Business id
channels-hint-business-id = The account's open_id from TikTok's authorization
channels-field-app-id = App id
channels-hint-app-id = With a refresh token, renews the day-long token
channels-field-refresh-token = Refresh token
channels-field-address = Address
channels-field-login = Login
channels-hint-login = Usually the address
channels-field-password = Password
channels-hint-password = An app password where offered
channels-field-imap-host = IMAP server
channels-field-imap-port = IMAP port
channels-field-imap-security = IMAP security
channels-field-smtp-host = SMTP server
channels-field-smtp-port = SMTP port
channels-field-smtp-security = SMTP security
