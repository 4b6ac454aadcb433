# A conversation's actions: close, snooze, assign, block.

snooze-pick-time = Pick a date and time.
snooze-pick-future = Pick a time in the future.
