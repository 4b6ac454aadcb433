# Words used all over the app: the app's banners, dates and counts.

app-offline = You are offline. Conversations show as they were last loaded; what you send goes out when the connection is back.
app-update-ready = A new version of Switchboard is ready.
app-reload = Reload
not-found-title = Page not found
not-found-home = Go to your inbox

channel-website-chat = Website chat
channel-email = E-mail

language = Language


## Times: a list row's ("now", "5 min", "Mon", "12 Mar", "12 Mar 2024") and a message's.

time-now = now
time-minutes = { $minutes } min
date-day-month = { $day } { $month }
date-day-month-year = { $day } { $month } { $year }
date-day-month-time = { $day } { $month }, { $time }

month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec

weekday-short-1 = Mon
weekday-short-2 = Tue
weekday-short-3 = Wed
weekday-short-4 = Thu
weekday-short-5 = Fri
weekday-short-6 = Sat
weekday-short-7 = Sun

## Parts of the app fetched when first needed

part-loading = Loading…
part-unavailable = This part of Switchboard could not be loaded. Check the connection and try again.
part-retry = Try again
