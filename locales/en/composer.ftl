# The composer: message or comment, its pickers, files, recordings, templates and channels.

## Message or comment, the field and its buttons

composer-mode-group = Write a
composer-mode-message = Message
composer-mode-comment = Comment
composer-show-original = Show the original
composer-cancel-reply = Cancel reply
composer-send-template = Send a template
composer-subject = Subject
composer-placeholder-message = Write a reply
composer-placeholder-comment = Write an internal comment — only your team sees it
composer-send = Send
composer-add-comment = Add comment
composer-text-too-long = The message is { $chars } characters long; the limit is { $limit }.
composer-text-empty = The message is empty.
composer-text-control = The message contains invisible control characters.

## Pickers: @ mentions, $ variables, / snippets

composer-picker-mention = Mention
composer-picker-variable = Variable
composer-picker-snippet = Snippet
composer-hint-mention = mention
composer-hint-empty = empty

## Variables and their filling at send time

composer-variable-first-name = Contact's first name
composer-variable-last-name = Contact's last name
composer-variable-email = Contact's e-mail
composer-variable-phone = Contact's phone
composer-variable-agent-name = Your name
composer-variable-workspace-name = Workspace name
composer-variable-missing = { $label } is empty for this contact: write it yourself or give a fallback, like {"{{"}{ $key }|there{"}}"}.
composer-variable-unknown = {"{{"}{ $key }{"}}"} is not a variable.

## Files

composer-attach = Attach files
composer-attach-title = Attach files (up to { $max }, { $size } MB each)
composer-attached-files = Attached files
composer-file-uploading = Uploading…
composer-file-remove = Remove { $name }
composer-files-wait = Wait until the files finish uploading.
composer-files-failed = Remove the files that could not be uploaded, or attach them again.
composer-file-type = "{ $name }" cannot be sent: files must be { $types }.
composer-file-too-big = "{ $name }" is { $size } MB; a file may be at most { $limit } MB.
composer-file-empty = "{ $name }" is empty.
composer-file-bad-name = "{ $name }" is not a usable file name (at most { $limit } characters, no folders).
composer-file-too-many = A message may carry at most { $max } files; this one would have { $count }.

## Voice and video messages

composer-record-voice = Record a voice message
composer-record-video = Record a video message
composer-record-unsupported = This browser cannot record in a format the channels take (MP4).
composer-record-allow-microphone = Allow the microphone to record…
composer-record-allow-camera = Allow the camera to record…
composer-record-dismiss = Dismiss
composer-recording-voice = Recording a voice message
composer-recording-video = Recording a video message
composer-record-stop = Stop
composer-recorded-voice = Recorded voice message
composer-recorded-video = Recorded video message
composer-playback-speed = Playback speed
composer-record-download = Download
composer-record-again = Record again
composer-record-delete = Delete
composer-record-attach = Attach
composer-record-attach-failed = The recording could not be attached.
composer-refusal-denied-voice = Switchboard may not use the microphone: allow it in the browser's site settings.
composer-refusal-denied-video = Switchboard may not use the camera and microphone: allow it in the browser's site settings.
composer-refusal-missing-voice = No microphone was found.
composer-refusal-missing-video = No camera and microphone was found.
composer-refusal-busy-voice = The microphone is busy in another app.
composer-refusal-busy-video = The camera and microphone is busy in another app.
composer-refusal-failed-voice = The voice message could not be recorded.
composer-refusal-failed-video = The video message could not be recorded.
# A recording's file name: the stamp is its date and time ("2026-11-26-040405").
composer-recording-file-voice = voice-{ $stamp }.{ $extension }
composer-recording-file-video = video-{ $stamp }.{ $extension }

## WhatsApp templates (the 24-hour window closed)

composer-template-title = Send a WhatsApp template
composer-template-window = Outside the 24-hour window WhatsApp delivers only templates Meta approved.
composer-template-loading = Loading the approved templates…
composer-template-none = This number has no approved templates Switchboard can send. Templates are created and approved in Meta's WhatsApp Manager.
composer-template-list = Approved templates
composer-template-result = As the contact will read it
composer-template-cancel = Cancel
composer-template-send = Send template
composer-template-count = { $expected ->
    [one] This template takes { $expected } value, not { $given }.
   *[other] This template takes { $expected } values, not { $given }.
}
composer-template-empty = Fill in {"{{"}{ $name }{"}}"}.
composer-template-shape = {"{{"}{ $name }{"}}"} is too long or has line breaks, tabs or runs of spaces, which WhatsApp refuses.

## The channel switcher

composer-send-through = Send through
composer-quote-dropped = { $channel } does not show quotes: the quote was removed.

## A snippet's files (T3)

composer-snippet-files = { $count ->
    [one] { $count } file: { $names }
   *[other] { $count } files: { $names }
}
composer-snippet-file-gone = This file is no longer part of the snippet.

## AI in the comment composer (K10)

composer-ai-summary = AI summary
composer-ai-writing = Writing a summary of the conversation…
composer-ai-stop = Stop
composer-ai-not-configured = No AI provider is set up for this workspace. An owner or manager can add one in Settings.
composer-ai-empty = The AI provider answered without a summary.
composer-ai-cut-off = The summary was cut off before it was finished.
composer-ai-assist = AI Assist
composer-ai-drafting = Drafting a reply…
composer-ai-rate = How was this draft?
composer-ai-rate-good = Good draft
composer-ai-rate-bad = Poor draft
composer-ai-thanks = Thanks for rating the draft.
composer-ai-feedback-title = What was wrong with the draft?
composer-ai-feedback-skip = Skip
composer-ai-feedback-send = Send feedback
composer-ai-intro-title = Meet AI Assist
composer-ai-intro = It drafts a reply from this conversation and your workspace's snippets. Read and edit the draft before you send it; rate it to say how it did.
composer-ai-intro-go = Draft a reply
composer-ai-intro-later = Not now
composer-ai-reply-with = Reply with AI Assist
composer-ai-prompts = AI prompts
composer-ai-prompt-rephrase = Rephrase
composer-ai-prompt-fix-spelling = Fix spelling and grammar
composer-ai-prompt-friendlier = Make it friendlier
composer-ai-prompt-more-formal = Make it more formal
composer-ai-prompt-simplify = Simplify
composer-ai-prompt-shorter = Make it shorter
composer-ai-prompt-longer = Make it longer
composer-ai-translate-contact = Translate into the contact's language
composer-ai-translate-into = Translate into
composer-ai-translate-choose = Choose a language
composer-ai-custom-prompts = Your workspace's prompts
composer-ai-prompts-loading = Loading your workspace's prompts…
composer-ai-suggestion = AI suggestion
composer-ai-rewriting = Rewriting…
composer-ai-replace = Replace draft
composer-ai-discard = Discard
composer-ai-replaced = Draft replaced.
composer-ai-undo = Undo
composer-ai-translated-note = Colleagues will also see your own words.
ai-language-en = English
ai-language-ru = Russian
ai-language-uk = Ukrainian
ai-language-de = German
ai-language-fr = French
ai-language-es = Spanish
ai-language-it = Italian
ai-language-pt = Portuguese
ai-language-tr = Turkish
ai-language-ar = Arabic
ai-language-zh = Chinese
ai-language-ja = Japanese
