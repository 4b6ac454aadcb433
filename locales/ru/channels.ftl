# Настройки → Каналы: каналы рабочего пространства, их подключение и отключение.

## Страница и список.

channels-back = Назад во «Входящие»
channels-title = Каналы
channels-intro = Здесь клиенты пишут вам. Сообщения из всех каналов приходят во «Входящие».
channels-connected-label = Подключённые каналы
channels-loading = Загрузка…
channels-managers-only = Подключать и отключать каналы могут владельцы и менеджеры.
channels-connect-heading = Подключить канал
channels-now-connected = Канал «{ $name }» подключён.
channels-now-disconnected = Канал «{ $name }» отключён.

# Виды каналов, названия которых — обычные слова (остальные — названия продуктов).

## Карточка подключённого канала.

channels-webhook-tiktok = URL вебхука для портала разработчиков TikTok
channels-webhook-meta = URL обратного вызова для панели приложения Meta
channels-check = Проверить
channels-checking = Проверка…
channels-disconnect = Отключить
channels-disconnect-warning = Сообщения перестанут приходить и уходить; разговоры сохранятся.
channels-keep = Оставить

## Форма подключения.

channels-form-label = Подключение канала «{ $channel }»
channels-cancel = Отмена
channels-connect = Подключить
channels-security-none = Нет (только локальная сеть)
channels-field-required = Заполните поле «{ $field }».
channels-field-port-range = { $field }: число от 1 до 65535.

## Поля формы подключения: подписи и подсказки.

channels-field-name = Название для операторов
channels-hint-optional = Необязательно
channels-field-bot-token = Токен бота
channels-hint-bot-token = 123456789:AA… от @BotFather
channels-field-phone-number-id = ID номера телефона
channels-hint-phone-number-id = Цифры из раздела API Setup в панели приложения Meta
channels-field-access-token = Токен доступа
channels-hint-whatsapp-access-token = Постоянный токен системного пользователя
channels-hint-tiktok-access-token = Токен доступа аккаунта
channels-field-app-secret = Секрет приложения
channels-hint-whatsapp-app-secret = Подписывает уведомления Meta
channels-hint-tiktok-app-secret = Подписывает вызовы вебхука TikTok
channels-field-verify-token = Токен проверки
channels-hint-verify-token = Любая фраза; введите её же в Meta
channels-field-business-account-id = ID аккаунта WhatsApp Business
channels-hint-business-account-id = Для шаблонов вне 24-часового окна
channels-field-business-id = ID бизнес-аккаунта
channels-hint-business-id = open_id аккаунта из авторизации TikTok
channels-field-app-id = ID приложения
channels-hint-app-id = Вместе с токеном обновления продлевает суточный токен
channels-field-refresh-token = Токен обновления
channels-field-address = Адрес
channels-field-login = Логин
channels-hint-login = Обычно совпадает с адресом
channels-field-password = Пароль
channels-hint-password = Пароль приложения, если сервис его предлагает
channels-field-imap-host = Сервер IMAP
channels-field-imap-port = Порт IMAP
channels-field-imap-security = Защита IMAP
channels-field-smtp-host = Сервер SMTP
channels-field-smtp-port = Порт SMTP
channels-field-smtp-security = Защита SMTP
