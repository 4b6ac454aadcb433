# Действия с разговором: закрыть, отложить, назначить, заблокировать.

## Панель над разговором: назначение, отложить, закрыть, открыть снова, заблокировать.

actions-assignee = Кому назначен
actions-unassigned = Не назначен
actions-ai-agent = ИИ-агент
actions-members = Операторы
actions-teams = Команды
actions-snooze = Отложить
actions-snooze-title = Отложить на потом
actions-snooze-blocked = Разговор с заблокированным контактом нельзя отложить
actions-close = Закрыть
actions-unsnooze = Вернуть
actions-reopen = Открыть снова
actions-block-contact = Заблокировать контакт
actions-unblock-contact = Разблокировать контакт
actions-cancel = Отмена

## Закрытие разговора и заметки о закрытии, которых требует рабочее пространство.

actions-close-title = Закрыть разговор с контактом { $name }
actions-close-explained = Разговор перейдёт во вкладку «Закрытые» и откроется снова, когда контакт напишет.
actions-closing-note-required = Заметка о закрытии (обязательно)
actions-closing-note-optional = Заметка о закрытии (необязательно)
actions-closing-note-placeholder = Что сделано и что осталось
actions-closing-note-asked = В вашем рабочем пространстве к каждому закрытому разговору нужна заметка.
actions-closing-note-too-long = { $max ->
    [one] Заметка о закрытии — не более { $max } символа.
    [few] Заметка о закрытии — не более { $max } символов.
   *[many] Заметка о закрытии — не более { $max } символов.
}
actions-close-without-note = Закрыть без заметки
actions-close-conversation = Закрыть разговор

## Отложить: варианты, их время, своё время; «до какого времени» в напоминании.

actions-snooze-until = Отложить до
actions-snooze-custom-time = Своё время

snooze-in-1-hour = Через 1 час
snooze-in-3-hours = Через 3 часа
snooze-tomorrow-morning = Завтра, 09:00
snooze-next-monday-morning = В следующий понедельник, 09:00
# Рядом с вариантом: «вт, 1 дек., 09:00».
snooze-preset-when = { $weekday }, { $day } { $month }, { $time }
# Продолжает «Отложен до …».
snooze-until-today = сегодня в { $time }
snooze-until-tomorrow = завтра в { $time }
snooze-until-date = { $weekday }, { $day } { $month } в { $time }
snooze-pick-time = Выберите дату и время.
snooze-pick-future = Выберите время в будущем.

## Подтверждение блокировки и разблокировки.

actions-block-title = Заблокировать контакт { $name }?
actions-block-explained = Разговор перейдёт в папку «Заблокированные», которую открывают только операторы с правом видеть заблокированные контакты. Разговор больше не будет отложен.
actions-unblock-title = Разблокировать контакт { $name }?
actions-unblock-explained = Разговор вернётся во «Входящие», и его снова можно будет отложить.
actions-unblock = Разблокировать
actions-more = Другие действия
actions-dialogflow-on = Включить бота Dialogflow
actions-dialogflow-off = Выключить бота Dialogflow
actions-shortcuts = Ярлыки
actions-shortcut-started = Сценарий «{ $name }» запущен.
