# The contact panel beside a conversation and the New contact dialog.

## The panel: who the contact is, calling, searching their messages.

contacts-title = Contact
contacts-close-details = Close contact details
contacts-loading = Loading…
contacts-blocked = Blocked
contacts-call = Call
contacts-call-hidden = Phone numbers are hidden for you, so calling is off.
contacts-add-number-to-call = Add a number to call
contacts-search-in-messages = Search in messages
contacts-email = E-mail
contacts-phone = Phone
contacts-phone-hidden = Hidden
contacts-added = Added
contacts-saved = Saved.
contacts-edit-details = Edit details

## Editing a contact.

contacts-first-name = First name
contacts-last-name = Last name
contacts-phone-hidden-no-edit = The number is hidden for you, so it cannot be changed here.
contacts-phone-masked-add = Numbers are hidden for you: a number you add is kept, and hidden once saved.
contacts-cancel = Cancel
contacts-save = Save

## What is wrong with a value, as the server checks it.

contacts-error-control = Remove the invisible control characters.
contacts-error-name-too-long = { $max ->
    [one] At most { $max } character.
   *[other] At most { $max } characters.
}
contacts-error-email = Enter an e-mail address like name@example.com.
contacts-error-phone = Enter a phone number of 5 to 20 digits, like +44 20 7946 0321.
# A custom field's problems start with the field's label.
contacts-error-field-control = { $field }: remove the invisible control characters.
contacts-error-field-too-long = { $max ->
    [one] { $field }: at most { $max } character.
   *[other] { $field }: at most { $max } characters.
}
contacts-error-field-number = { $field }: enter a number.
contacts-error-field-date = { $field }: enter a date as YYYY-MM-DD.
contacts-error-field-list = { $field }: choose one of { $options }.

## The New contact dialog.

contacts-new-title = New contact
contacts-new-needs-something = Give a name, an e-mail address or a phone number.
contacts-new-starts-closed = The contact starts in the Closed tab until someone writes.
contacts-add = Add contact
crm-view-in = View in { $crm }
crm-loading = Looking the contact up in HubSpot…
crm-not-found = No HubSpot contact has this e-mail address or phone number.
crm-retry = Try again
crm-hidden = Hidden
crm-save = Save
crm-revert = Restore the value it had
crm-copy = Copy
crm-copied = Copied
workflows-ongoing = Ongoing workflows
workflows-stop = Stop
workflows-stop-named = Stop { $name }
workflows-stop-all = Stop all
workflows-stop-confirm = Stop this workflow? It performs no further step.
workflows-stop-all-confirm = Stop all { $count } ongoing workflows for this contact? They perform no further step.
workflows-stopped = { $count ->
    [one] Workflow stopped.
   *[other] { $count } workflows stopped.
}
workflows-step-of = Step { $step } of { $total }
workflows-waits-until = waits until { $until }
