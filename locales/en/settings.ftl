# The workspace's settings page: general settings, members, invitations, teams, contact
# fields, snippets and custom inboxes.

## The page

settings-back-to-inbox = Back to the inbox
settings-title = Workspace settings
settings-channels-link = Channels
settings-read-only-note = Owners and managers change these settings; you can read them, and build your own custom inboxes.
settings-delete = Delete
settings-edit = Edit
settings-cancel = Cancel
settings-loading = Loading…

## General: name, closing notes, the unreplied cutoff, snooze pushes

settings-general-title = General
settings-workspace-name = Workspace name
settings-name-length = A name is 1 to 100 characters.
settings-pick-date = Pick a date.
settings-saved = Settings saved.
settings-closing-notes = Closing notes
settings-closing-off = Off
settings-closing-off-hint = Closing asks only for a confirmation.
settings-closing-optional = Optional
settings-closing-optional-hint = Agents may add a note, or close without one.
settings-closing-required = Required
settings-closing-required-hint = Every closed conversation gets a note.
settings-unreplied-from = Unreplied from
settings-unreplied-hint = The Unreplied filter counts messages from this day on.
settings-snooze-push = Push snoozes that end
settings-snooze-push-hint = Assignees get a push when a snoozed conversation comes back.
settings-save = Save

## Members: roles and permissions

settings-role-owner = Owner
settings-role-manager = Manager
settings-role-agent = Agent
settings-members-title = Members
settings-members-member = Member
settings-members-role = Role
settings-members-sees-blocked = Sees blocked contacts
settings-members-phones-hidden = Phone numbers hidden
settings-members-role-of = Role of { $name }
settings-members-sees-blocked-of = { $name } sees blocked contacts
settings-members-phones-hidden-of = Phone numbers hidden from { $name }
settings-member-updated = { $name } updated.

## Invitations

settings-invite-email-needed = Enter the e-mail address to invite.
settings-invited = { $email } is invited.
settings-invite-link-copied = Link copied.
settings-invite-withdrawn = The invitation of { $email } is withdrawn.
settings-invite-title = Invite someone
settings-invite-form = Invite
settings-invite-email = E-mail address to invite
settings-invite-role = Role of the invited member
settings-invite-submit = Invite
settings-invite-link = Send this link to them (it works for { $days ->
    [one] { $days } day
   *[other] { $days } days
}, once)
settings-invite-copy = Copy link
# After the invited address, with the role's value ("owner", "manager", "agent").
settings-invite-invited-as = invited as { $role ->
    [owner] owner
    [manager] manager
   *[agent] agent
}
settings-invite-expires = expires { $date }
settings-invite-withdraw-label = Withdraw the invitation of { $email }
settings-invite-withdraw = Withdraw

## Teams

settings-team-name-needed = Give the team a name.
settings-team-added = Team { $name } added.
settings-team-saved = Team { $name } saved.
settings-team-deleted = Team { $name } deleted.
settings-teams-title = Teams
settings-team-delete-label = Delete team { $name }
settings-team-members-of = Members of { $name }
settings-team-new-name = New team's name
settings-team-add = Add team

## Contact fields

settings-field-kind-text = Text
settings-field-kind-number = Number
settings-field-kind-date = Date
settings-field-kind-list = List
settings-field-added = Field { $label } added.
settings-field-deleted = Field { $label } deleted.
settings-fields-title = Contact fields
settings-fields-hint = Extra details kept on every contact, shown in the contact panel.
settings-field-delete-label = Delete field { $label }
settings-field-label = Label
settings-field-type = Type
settings-field-options = Options
settings-field-options-placeholder = Gold, Silver, Bronze
settings-field-add = Add field
settings-field-control-characters = Remove the invisible control characters.
settings-field-label-length = A label of 1 to { $max ->
    [one] { $max } character
   *[other] { $max } characters
}.
settings-field-option-length = Options must be 1 to { $max ->
    [one] { $max } character
   *[other] { $max } characters
}.
settings-field-option-twice = "{ $option }" is listed twice.
settings-field-list-needs-options = A list field needs options.
settings-field-only-list-options = Only list fields have options.

## Snippets

settings-snippet-name-invalid = A snippet name is one line of 1 to { $max ->
    [one] { $max } character
   *[other] { $max } characters
}.
settings-snippet-text-empty = The message is empty.
settings-snippet-text-too-long = The message is { $chars ->
    [one] { $chars } character
   *[other] { $chars } characters
} long; the limit is { $max }.
settings-snippet-text-control = The message contains invisible control characters.
settings-snippet-saved = Snippet /{ $name } saved.
settings-snippet-deleted = Snippet /{ $name } deleted.
settings-snippets-title = Snippets
settings-snippets-hint = Saved replies agents insert with / in the composer. { "{{first_name}}" } and other variables are filled in when sent.
settings-snippet-edit-label = Edit snippet { $name }
settings-snippet-delete-label = Delete snippet { $name }
settings-snippet-new = New snippet
settings-snippet-form = Snippet
settings-snippet-name = Name
settings-snippet-text = Text
settings-snippet-save = Save snippet

## Custom inboxes: the list and the filter builder

settings-inboxes-title = Custom inboxes
settings-inboxes-hint = Saved filters that show as folders, for you or for the members and teams you share them with.
settings-inbox-saved = Custom inbox { $name } saved.
settings-inbox-deleted = Custom inbox { $name } deleted.
settings-inbox-edit-label = Edit inbox { $name }
settings-inbox-delete-label = Delete inbox { $name }
settings-inbox-new = New custom inbox
settings-inbox-form = Custom inbox
settings-inbox-name = Name
settings-inbox-channels = Channels (none: any)
settings-inbox-statuses = Status (none: any)
settings-inbox-status-open = Open
settings-inbox-status-closed = Closed
settings-inbox-status-snoozed = Snoozed
settings-inbox-assignee = Assigned to
settings-inbox-assignee-any = Anyone or no one
settings-inbox-assignee-none = No one
settings-inbox-assignee-me = Whoever looks
settings-inbox-assignee-ai = The AI Agent
settings-inbox-assignee-team = Team { $name }
settings-inbox-age = Last message from the contact
settings-inbox-age-any = Any time
settings-inbox-age-within = Within the last
settings-inbox-age-older = More than
settings-inbox-minutes-label = Minutes
# After the typed number; $age is "within" or "older".
settings-inbox-minutes = { $age ->
    [older] { $count ->
       *[other] minutes
    }
   *[within] { $count ->
       *[other] minutes
    }
}
settings-inbox-conditions = Contact conditions (all must hold)
settings-inbox-condition-field = Condition { $number } field
settings-inbox-condition-op = Condition { $number } comparison
settings-inbox-condition-value = Condition { $number } value
settings-inbox-condition-remove-label = Remove condition { $number }
settings-inbox-condition-remove = Remove
settings-inbox-condition-add = Add a condition
settings-inbox-field-first-name = First name
settings-inbox-field-last-name = Last name
settings-inbox-field-email = E-mail
settings-inbox-field-phone = Phone
settings-inbox-op-is = is
settings-inbox-op-contains = contains
settings-inbox-op-is-set = is set
settings-inbox-op-is-not-set = is not set
settings-inbox-op-more = is more than
settings-inbox-op-less = is less than
settings-inbox-shared = Shared with (none: only you)
settings-inbox-share-team = Team { $name }
settings-inbox-save = Save inbox
settings-inbox-name-length = A custom inbox name is 1 to 100 characters.
settings-inbox-ordered-only = Only number and date fields compare as greater or less.
settings-inbox-value-needed = Give each condition a value.
settings-inbox-minutes-needed = Give a time of at least one minute.

## A snippet's files (T3)

settings-snippet-files = Files
settings-snippet-files-hint = Sent with the snippet's text, up to 50 files of the types a message takes.

## The AI provider (T7)

settings-ai-title = AI provider
settings-ai-hint = Any OpenAI-compatible Chat Completions API: a hosted provider, or your own model server (Ollama, llama.cpp, vLLM). Phone numbers and e-mail addresses are never sent to it.
settings-ai-base-url = Base URL
settings-ai-model = Model
settings-ai-organization = Organisation (optional)
settings-ai-key = API key
settings-ai-key-kept = A key is kept. Type a new one to replace it; it is never shown again.
settings-ai-key-none = No key is kept. Self-hosted servers may need none.
settings-ai-save = Save provider
settings-ai-remove = Remove
settings-ai-remove-confirm = Remove the AI provider and its key? AI features stop until one is set up again.
settings-ai-saved = AI provider saved.
settings-ai-removed = AI provider removed.
settings-ai-model-needed = Name the model to use.
settings-ai-answers = AI answers with
settings-ai-none = No AI provider is set up. An owner or manager can add one.
settings-prompts-title = AI prompts
settings-prompts-hint = Your workspace's own prompts, offered beside the standard ones in every editor's AI prompts menu. Agents choose one, check the result and replace their draft with it.
settings-prompts-none = No prompts of your own yet.
settings-prompts-form = Prompt
settings-prompts-name = Name
settings-prompts-instructions = What the AI should do with the draft
settings-prompts-instructions-example = Answer in our brand voice: warm, brief, no exclamation marks.
settings-prompts-name-needed = Give the prompt a name.
settings-prompts-instructions-needed = Say what the AI should do.
settings-prompts-add = Add prompt
settings-prompts-save = Save prompt
settings-prompts-cancel = Cancel
settings-prompts-edit = Edit
settings-prompts-edit-named = Edit { $name }
settings-prompts-delete = Delete
settings-prompts-delete-named = Delete { $name }
settings-prompts-delete-confirm = Delete this prompt? Agents will no longer find it.
settings-prompts-saved = Prompt saved.
settings-prompts-deleted = Prompt deleted.
settings-agent-title = AI Agent
settings-agent-hint = Assign a conversation to the AI Agent like to a teammate: it answers the contact through their channel and hands over to your team, with a comment saying why, when it cannot help. Takeover in the conversation stops it at once. It uses the AI provider above.
settings-agent-enabled = The AI Agent answers the conversations assigned to it
settings-agent-instructions = Instructions
settings-agent-instructions-example = What your business does, what the AI Agent may promise, and when to hand over (refunds, complaints…).
settings-agent-instructions-needed = Tell the AI Agent what to do before turning it on.
settings-agent-save = Save AI Agent
settings-agent-saved = AI Agent saved.
settings-agent-on = The AI Agent answers the conversations assigned to it.
settings-agent-off = The AI Agent is off.
settings-hubspot-hint = Agents see the contact's HubSpot record in the contact panel, found by e-mail address or phone number, and edit its fields there. Create a private app in HubSpot with the contacts read and write scopes and paste its access token.
settings-hubspot-form = HubSpot connection
settings-hubspot-token = Access token
settings-hubspot-token-kept = Connected to HubSpot account { $portal }. Paste a new token to replace the kept one; it is never shown again.
settings-hubspot-token-none = Not connected yet.
settings-hubspot-properties = Properties to show
settings-hubspot-properties-hint = HubSpot's internal names, separated by commas, in the order the panel shows them. The e-mail address and phone numbers are always read-only.
settings-hubspot-save = Connect HubSpot
settings-hubspot-saved = HubSpot connected.
settings-hubspot-disconnect = Disconnect
settings-hubspot-disconnect-confirm = Disconnect HubSpot? Its token is forgotten and the contact panel no longer shows HubSpot records.
settings-hubspot-disconnected = HubSpot disconnected.
settings-hubspot-on = HubSpot is connected: the contact panel shows contacts' HubSpot records.
settings-hubspot-off = HubSpot is not connected.
settings-salesforce-hint = Agents see the contact's Salesforce Contact in the contact panel, found by e-mail address or phone number, and edit its fields there. Create a connected app with the "api" and "refresh_token" OAuth scopes, then give its consumer key with either a refresh token and the consumer secret, or a user and the private key of the app's certificate (JWT bearer flow).
settings-salesforce-form = Salesforce connection
settings-salesforce-client-id = Consumer key
settings-salesforce-sandbox = A sandbox org (signs in at test.salesforce.com)
settings-salesforce-flow = How Switchboard signs in
settings-salesforce-flow-refresh = Refresh token
settings-salesforce-flow-jwt = JWT bearer (certificate)
settings-salesforce-client-secret = Consumer secret
settings-salesforce-refresh-token = Refresh token
settings-salesforce-username = Salesforce username
settings-salesforce-private-key = Private key (PEM)
settings-salesforce-kept = Connected to { $org }. Paste new credentials to replace the kept ones; they are never shown again.
settings-salesforce-none = No credentials kept for this way of signing in.
settings-salesforce-fields = Contact fields to show
settings-salesforce-fields-hint = Salesforce's API names, separated by commas, in the order the panel shows them. The e-mail address and phone numbers are always read-only.
settings-salesforce-save = Connect Salesforce
settings-salesforce-saved = Salesforce connected.
settings-salesforce-disconnect = Disconnect
settings-salesforce-disconnect-confirm = Disconnect Salesforce? Its credentials are forgotten and the contact panel no longer shows Salesforce records.
settings-salesforce-disconnected = Salesforce disconnected.
settings-salesforce-on = Salesforce is connected: the contact panel shows contacts' Salesforce records.
settings-salesforce-off = Salesforce is not connected.
settings-dialogflow-hint = The Dialogflow bot answers a conversation's incoming messages with your Dialogflow ES agent once an agent turns it on in the conversation's ⋮ menu. When it does not understand or fails, it leaves the conversation to the team with a comment. Create a service account with the Dialogflow API Client role and paste its JSON key.
settings-dialogflow-form = Dialogflow connection
settings-dialogflow-key = Service account key (JSON)
settings-dialogflow-key-kept = Connected to project { $project } as { $account }. Paste a new key to replace the kept one; it is never shown again.
settings-dialogflow-key-none = Not connected yet.
settings-dialogflow-language = Language code
settings-dialogflow-language-hint = The language the agent is asked in, such as en or pt-BR.
settings-dialogflow-save = Connect Dialogflow
settings-dialogflow-saved = Dialogflow connected.
settings-dialogflow-disconnect = Disconnect
settings-dialogflow-disconnect-confirm = Disconnect Dialogflow? Its key is forgotten and the bot answers no more messages.
settings-dialogflow-disconnected = Dialogflow disconnected.
settings-dialogflow-on = Dialogflow is connected: agents can turn the bot on in a conversation's ⋮ menu.
settings-dialogflow-off = Dialogflow is not connected.
workflows-title = Workflows
workflows-hint = A workflow is a trigger and steps performed in order: send a message, add a comment, assign, close, set a contact field, wait, go on only if a condition holds, or call an address on the web. Shortcut workflows are run by agents from a conversation's ⚡ menu.
workflows-none = No workflows yet.
workflows-steps-count = { $count ->
    [one] 1 step
   *[other] { $count } steps
}
workflows-off = off
workflows-enable = Turn on
workflows-disable = Turn off
workflows-edit = Edit
workflows-edit-named = Edit { $name }
workflows-delete = Delete
workflows-delete-named = Delete { $name }
workflows-delete-confirm = Delete this workflow? Its ongoing runs are stopped.
workflows-deleted = Workflow deleted.
workflows-saved = Workflow saved.
workflows-form = Workflow
workflows-name = Name
workflows-trigger = Trigger
workflows-trigger-shortcut = Shortcut (run by an agent)
workflows-trigger-opened = A conversation is opened
workflows-trigger-closed = A conversation is closed
workflows-trigger-field = A contact field changes
workflows-trigger-any-field = Any contact field changes
workflows-trigger-one-field = { $field } changes
workflows-enabled = On
workflows-steps = Steps
workflows-step-kind = Step
workflows-step-send-message = Send a message
workflows-step-add-comment = Add a comment
workflows-step-assign = Assign
workflows-step-close = Close the conversation
workflows-step-update-field = Set a contact field
workflows-step-wait = Wait
workflows-step-branch = Go on only if
workflows-step-http = Call an address (HTTP)
workflows-add-step = Add a step
workflows-add-step-choose = Choose a step…
workflows-text = Text
workflows-assignee = Assign to
workflows-unassign = Nobody (unassign)
workflows-field = Field
workflows-value = Value
workflows-wait-amount = How long
workflows-wait-unit = Unit
workflows-unit-days = days
workflows-unit-hours = hours
workflows-unit-minutes = minutes
workflows-unit-seconds = seconds
workflows-condition = Condition
workflows-if-assigned = it is assigned
workflows-if-unassigned = it is unassigned
workflows-if-open = it is open
workflows-if-closed = it is closed
workflows-if-field = { $field } is
workflows-equals = Value to compare
workflows-otherwise-skip = otherwise skip the next steps:
workflows-method = Method
workflows-url = Address
workflows-body = Body (JSON, optional)
workflows-move-up = Move up
workflows-move-down = Move down
workflows-remove-step = Remove step
workflows-cancel = Cancel
workflows-save = Save workflow
workflows-add = Add workflow
