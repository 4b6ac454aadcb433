# Сочетания клавиш (K11): справка по `?` и палитра команд Ctrl-K / ⌘K. Загружается
# вместе с частью, которая обрабатывает клавиши, после списка разговоров.

## Сочетания клавиш и палитра команд

inbox-command-next = Следующий разговор
inbox-command-previous = Предыдущий разговор
inbox-command-search-list = Поиск по списку
inbox-command-search-everything = Искать везде
inbox-command-go-mine = Перейти в «Мои»
inbox-command-go-unassigned = Перейти в «Не назначенные»
inbox-command-go-all = Перейти во «Все разговоры»
inbox-command-unreplied = Только без ответа / все
inbox-command-assign-me = Назначить мне
inbox-command-close = Закрыть разговор
inbox-command-snooze = Отложить разговор
inbox-command-reply = Написать ответ
inbox-command-help = Сочетания клавиш
inbox-command-palette = Палитра команд
# Две клавиши одна за другой: «G, затем M».
inbox-keys-then = { $first }, затем { $second }

inbox-shortcuts-help-note = Буквы работают, когда курсор не в текстовом поле. Esc закрывает.
inbox-shortcuts-assigned-to-you = Разговор назначен вам
inbox-shortcuts-not-applicable = К этому разговору это сейчас неприменимо.
inbox-shortcuts-command = Команда
inbox-shortcuts-command-placeholder = Введите команду
inbox-shortcuts-commands = Команды
