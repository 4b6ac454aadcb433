# Signing in, accepting an invitation, and the start page.

login-loading = Loading…

## The sign-in page.

login-title = Sign in to your inbox
login-email = E-mail
login-password = Password
login-submit = Sign in
login-submitting = Signing in…
login-wrong-credentials = That e-mail and password do not match an account.

## An invitation's page.

login-invite-title = Invitation
login-invite-expired = This invitation link does not work any more. Ask for a new one.
login-invite-join = Join { $workspace }
login-invite-as = You are invited as { $role } with { $email }.
login-invite-your-name = Your name
login-invite-your-password = Your password
login-invite-choose-password = Choose a password
login-invite-name-required = Enter your name.
login-invite-password-too-short = Choose a password of at least { $count ->
    [one] { $count } character
   *[other] { $count } characters
}.
login-invite-wrong-password = That is not the password of this account.

# The role an invitation gives, as it reads in "You are invited as …".
login-role-owner = owner
login-role-manager = manager
login-role-agent = agent

## The start page of an account without a workspace.

login-home-no-workspace = No workspace yet
login-home-ask-owner = Ask a workspace owner to invite you.
