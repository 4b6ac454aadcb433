# Открытый разговор: заголовок, сообщения, поиск внутри него.

## Заголовок разговора и список сообщений

thread-back = Назад к разговорам
thread-chip-open = Открыт
thread-chip-closed = Закрыт
thread-chip-snoozed = Отложен
thread-chip-blocked = Заблокирован
thread-chip-bot = Отвечает бот
thread-search-conversation = Поиск в этом разговоре
thread-contact-details = Сведения о контакте
thread-snoozed-until = Отложен до { $until }. Затем разговор вернётся в «Открытые».
thread-messages = Сообщения
thread-show-earlier = Показать более ранние сообщения
thread-loading = Загрузка сообщений…
thread-no-quotes = { $channel } не показывает цитаты: напишите ответ без неё.
thread-link-copied = Ссылка скопирована
thread-copy-this-link = Скопируйте ссылку: { $url }

## Название вида канала (остальные — названия продуктов)


## Поиск внутри разговора

thread-search-find = Найти
thread-search-done = Готово
thread-search-none = Здесь нет подходящих сообщений.
thread-search-matches = Совпадения в этом разговоре

## Сообщение: содержимое, отправитель, статус и меню

thread-template-tag = Шаблон WhatsApp · { $name }
thread-image = Изображение
thread-image-open = Открыть изображение
thread-image-open-named = Открыть изображение { $name }
thread-image-unavailable = Изображение недоступно
thread-file-unavailable = Файл { $name } недоступен
thread-unsupported = Неподдерживаемое сообщение
thread-custom-payload = Нестандартные данные
thread-files = Файлы
thread-internal-comment = Внутренний комментарий
thread-via-channel = канал: { $channel }
thread-quoted-from = Цитируемое сообщение, автор: { $name }
thread-message-actions = Действия с сообщением
thread-reply = Ответить
thread-copy-link = Копировать ссылку

## Статусы доставки

thread-status-sending-title = Отправляется…
thread-status-sending = Отправляется
thread-status-pending = Ожидает отправки
thread-status-sent = Отправлено
thread-status-delivered = Доставлено
thread-status-read = Прочитано
thread-status-failed = Не отправлено
thread-not-sent = Не отправлено: { $reason }
thread-not-delivered = Не доставлено: { $reason }
thread-not-delivered-refused = Не доставлено: канал его не принял
thread-retry = Повторить

## Файлы, голосовые и видео

thread-download-named = Скачать { $name }
thread-download-size = Скачать ({ $size })
thread-playback-speed = Скорость воспроизведения
thread-size-bytes = { $bytes } Б
thread-size-kb = { $kb } КБ
thread-size-mb = { $whole },{ $tenth } МБ
# Имя скачанной картинки, когда в её адресе имени нет.
thread-image-file-name = изображение

## Просмотр изображения

thread-download = Скачать
thread-share = Поделиться
thread-close = Закрыть
thread-copy-from-download = Скопируйте адрес ссылки «Скачать»

## Письмо в разговоре

thread-email-show-quoted = Показать цитируемый текст
thread-email-images-held = Внешние изображения не загружены, чтобы отправитель не мог отследить, кто читает письмо.
thread-email-load-images = Загрузить изображения
thread-email-images-not-loaded = Внешние изображения в этом письме не загружены, чтобы отправитель не мог отследить, кто его читает.
thread-email-loading-images = Загрузка изображений…
thread-email-images-failed-count = { $count ->
    [one] Не удалось загрузить { $count } изображение.
    [few] Не удалось загрузить { $count } изображения.
   *[many] Не удалось загрузить { $count } изображений.
}
thread-email-images-failed = Не удалось загрузить изображения: { $reason }
thread-email-try-again = Повторить попытку
thread-email-frame-title = Письмо с оформлением
thread-email-show-plain = Показать простой текст
thread-email-show-formatting = Показать оформление

## Ответы (превью цитируемого сообщения в редакторе)

thread-quote-message = Сообщение
thread-replying-to = Ответ контакту { $name }
thread-replying-to-own = Ответ на ваше сообщение контакту { $contact }

## Окно ответа канала (WhatsApp: 24 часа)

thread-window-closed = { $channel } принимает сообщения только в течение { $hours ->
    [one] { $hours } часа
    [few] { $hours } часов
   *[many] { $hours } часов
} после последнего сообщения контакта, а { $name } в последний раз писал(а) раньше. Ответить можно, когда контакт напишет снова; комментарии по-прежнему работают.
thread-window-closed-unnamed = { $channel } принимает сообщения только в течение { $hours ->
    [one] { $hours } часа
    [few] { $hours } часов
   *[many] { $hours } часов
} после последнего сообщения контакта, а контакт в последний раз писал раньше. Ответить можно, когда он напишет снова; комментарии по-прежнему работают.
thread-translate = Перевести
thread-translating = Переводим…
thread-translated = Переведено ИИ
thread-original = Оригинал
thread-view-original = Показать оригинал
thread-view-translation = Показать перевод
thread-sent-translated = Отправлено в переводе
thread-own-words = Текст до перевода
thread-view-own-words = Показать текст до перевода
thread-view-sent = Показать отправленное
thread-ai-agent-handles = На этот разговор отвечает ИИ-агент.
thread-takeover = Перехватить
thread-taken-over = Вы перехватили разговор у ИИ-агента.
thread-takeover-blocked = { $name } заблокирован(а): написать можно только после разблокировки.
thread-takeover-no-channel = Ни один подключённый канал не ведёт к этому клиенту: подключите канал в настройках каналов, чтобы написать ему.
