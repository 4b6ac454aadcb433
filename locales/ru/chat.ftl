# Страница чата на сайте, которую видит клиент (посетитель).

chat-title-default = Чат
chat-status-live = Мы отвечаем здесь в реальном времени
chat-status-reconnecting = Переподключение…
chat-loading = Загрузка…
chat-not-found = Этого чата нет или он больше недоступен.

## Разговор.

chat-messages-label = Сообщения
chat-files-label = Файлы
chat-sending = Отправка…
chat-not-sent = Не отправлено: { $reason }
chat-download = Скачать { $name }
chat-file-hold-failed = не удалось сохранить файл
chat-file-offer-failed = не удалось подготовить файл к скачиванию

## Написание сообщения.

chat-message-placeholder = Напишите сообщение
chat-message-label = Ваше сообщение
chat-send = Отправить
chat-message-empty = Сообщение пустое.
chat-message-too-long = В сообщении { $chars ->
    [one] { $chars } символ
    [few] { $chars } символа
   *[many] { $chars } символов
}, а можно не больше { $limit }.
chat-message-control-characters = В сообщении есть невидимые управляющие символы.
