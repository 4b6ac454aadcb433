# Слова всего приложения: баннеры, даты и счётчики.

app-offline = Нет подключения к интернету. Разговоры показаны такими, какими были загружены; отправленное уйдёт, когда связь вернётся.
app-update-ready = Готова новая версия Switchboard.
app-reload = Обновить
not-found-title = Страница не найдена
not-found-home = Перейти во «Входящие»

channel-website-chat = Чат на сайте
channel-email = Эл. почта

language = Язык


## Время: в строке списка («сейчас», «5 мин», «пн», «12 мар.») и у сообщения.

time-now = сейчас
time-minutes = { $minutes } мин
date-day-month = { $day } { $month }
date-day-month-year = { $day } { $month } { $year } г.
date-day-month-time = { $day } { $month }, { $time }

month-short-1 = янв.
month-short-2 = февр.
month-short-3 = мар.
month-short-4 = апр.
month-short-5 = мая
month-short-6 = июн.
month-short-7 = июл.
month-short-8 = авг.
month-short-9 = сент.
month-short-10 = окт.
month-short-11 = нояб.
month-short-12 = дек.

weekday-short-1 = пн
weekday-short-2 = вт
weekday-short-3 = ср
weekday-short-4 = чт
weekday-short-5 = пт
weekday-short-6 = сб
weekday-short-7 = вс

## Части приложения, загружаемые при первом обращении

part-loading = Загрузка…
part-unavailable = Не удалось загрузить эту часть Switchboard. Проверьте подключение и попробуйте ещё раз.
part-retry = Повторить
