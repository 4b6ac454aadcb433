# Настройки рабочего пространства: общие, участники, приглашения, команды, поля контактов,
# сниппеты и пользовательские папки.

## Страница

settings-back-to-inbox = Назад во «Входящие»
settings-title = Настройки рабочего пространства
settings-channels-link = Каналы
settings-read-only-note = Эти настройки меняют владельцы и менеджеры; вы можете их просматривать и создавать свои пользовательские папки.
settings-delete = Удалить
settings-edit = Изменить
settings-cancel = Отмена
settings-loading = Загрузка…

## Общие: название, заметки о закрытии, начало «Без ответа», пуш об отложенных

settings-general-title = Общие
settings-workspace-name = Название рабочего пространства
settings-name-length = Название — от 1 до 100 символов.
settings-pick-date = Выберите дату.
settings-saved = Настройки сохранены.
settings-closing-notes = Заметки о закрытии
settings-closing-off = Выключены
settings-closing-off-hint = При закрытии нужно только подтверждение.
settings-closing-optional = По желанию
settings-closing-optional-hint = Операторы могут добавить заметку или закрыть разговор без неё.
settings-closing-required = Обязательны
settings-closing-required-hint = К каждому закрытому разговору добавляется заметка.
settings-unreplied-from = «Без ответа» начиная с
settings-unreplied-hint = Фильтр «Без ответа» учитывает сообщения начиная с этого дня.
settings-snooze-push = Пуш-уведомления о возврате отложенных
settings-snooze-push-hint = Назначенные операторы получают пуш-уведомление, когда отложенный разговор возвращается.
settings-save = Сохранить

## Участники: роли и права

settings-role-owner = Владелец
settings-role-manager = Менеджер
settings-role-agent = Оператор
settings-members-title = Участники
settings-members-member = Участник
settings-members-role = Роль
settings-members-sees-blocked = Видит заблокированные контакты
settings-members-phones-hidden = Номера телефонов скрыты
settings-members-role-of = Роль участника { $name }
settings-members-sees-blocked-of = Участник { $name } видит заблокированные контакты
settings-members-phones-hidden-of = Номера телефонов скрыты от участника { $name }
settings-member-updated = Участник { $name }: изменения сохранены.

## Приглашения

settings-invite-email-needed = Укажите адрес эл. почты, на который отправить приглашение.
settings-invited = Приглашение для { $email } создано.
settings-invite-link-copied = Ссылка скопирована.
settings-invite-withdrawn = Приглашение для { $email } отозвано.
settings-invite-title = Пригласить участника
settings-invite-form = Приглашение
settings-invite-email = Адрес эл. почты приглашаемого
settings-invite-role = Роль приглашаемого участника
settings-invite-submit = Пригласить
settings-invite-link = Отправьте эту ссылку приглашённому (она действует { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
} и только один раз)
settings-invite-copy = Копировать ссылку
# После адреса приглашённого; $role — значение роли («owner», «manager», «agent»).
settings-invite-invited-as = роль: { $role ->
    [owner] владелец
    [manager] менеджер
   *[agent] оператор
}
settings-invite-expires = действует до { $date }
settings-invite-withdraw-label = Отозвать приглашение для { $email }
settings-invite-withdraw = Отозвать

## Команды

settings-team-name-needed = Укажите название команды.
settings-team-added = Команда «{ $name }» добавлена.
settings-team-saved = Команда «{ $name }» сохранена.
settings-team-deleted = Команда «{ $name }» удалена.
settings-teams-title = Команды
settings-team-delete-label = Удалить команду «{ $name }»
settings-team-members-of = Участники команды «{ $name }»
settings-team-new-name = Название новой команды
settings-team-add = Добавить команду

## Поля контактов

settings-field-kind-text = Текст
settings-field-kind-number = Число
settings-field-kind-date = Дата
settings-field-kind-list = Список
settings-field-added = Поле «{ $label }» добавлено.
settings-field-deleted = Поле «{ $label }» удалено.
settings-fields-title = Поля контактов
settings-fields-hint = Дополнительные сведения о каждом контакте; показываются в панели контакта.
settings-field-delete-label = Удалить поле «{ $label }»
settings-field-label = Название
settings-field-type = Тип
settings-field-options = Варианты
settings-field-options-placeholder = Золото, Серебро, Бронза
settings-field-add = Добавить поле
settings-field-control-characters = Удалите невидимые управляющие символы.
settings-field-label-length = Название — от 1 до { $max } { $max ->
    [one] символа
    [few] символов
   *[many] символов
}.
settings-field-option-length = Вариант — от 1 до { $max } { $max ->
    [one] символа
    [few] символов
   *[many] символов
}.
settings-field-option-twice = Вариант «{ $option }» указан дважды.
settings-field-list-needs-options = Для поля-списка нужны варианты.
settings-field-only-list-options = Варианты бывают только у полей-списков.

## Сниппеты

settings-snippet-name-invalid = Название сниппета — одна строка от 1 до { $max } { $max ->
    [one] символа
    [few] символов
   *[many] символов
}.
settings-snippet-text-empty = Сообщение пустое.
settings-snippet-text-too-long = Длина сообщения — { $chars } { $chars ->
    [one] символ
    [few] символа
   *[many] символов
}, а допустимо не больше { $max }.
settings-snippet-text-control = Сообщение содержит невидимые управляющие символы.
settings-snippet-saved = Сниппет /{ $name } сохранён.
settings-snippet-deleted = Сниппет /{ $name } удалён.
settings-snippets-title = Сниппеты
settings-snippets-hint = Сохранённые ответы, которые операторы вставляют в редакторе через /. { "{{first_name}}" } и другие переменные подставляются при отправке.
settings-snippet-edit-label = Изменить сниппет { $name }
settings-snippet-delete-label = Удалить сниппет { $name }
settings-snippet-new = Новый сниппет
settings-snippet-form = Сниппет
settings-snippet-name = Название
settings-snippet-text = Текст
settings-snippet-save = Сохранить сниппет

## Пользовательские папки: список и конструктор фильтра

settings-inboxes-title = Пользовательские папки
settings-inboxes-hint = Сохранённые фильтры, которые показываются как папки — вам или участникам и командам, с которыми вы ими поделились.
settings-inbox-saved = Пользовательская папка «{ $name }» сохранена.
settings-inbox-deleted = Пользовательская папка «{ $name }» удалена.
settings-inbox-edit-label = Изменить папку «{ $name }»
settings-inbox-delete-label = Удалить папку «{ $name }»
settings-inbox-new = Новая пользовательская папка
settings-inbox-form = Пользовательская папка
settings-inbox-name = Название
settings-inbox-channels = Каналы (если не выбраны — любые)
settings-inbox-statuses = Статус (если не выбран — любой)
settings-inbox-status-open = Открытые
settings-inbox-status-closed = Закрытые
settings-inbox-status-snoozed = Отложенные
settings-inbox-assignee = Кому назначен
settings-inbox-assignee-any = Кому угодно или никому
settings-inbox-assignee-none = Никому
settings-inbox-assignee-me = Тому, кто смотрит
settings-inbox-assignee-ai = ИИ-агенту
settings-inbox-assignee-team = Команде «{ $name }»
settings-inbox-age = Последнее сообщение контакта
settings-inbox-age-any = Когда угодно
settings-inbox-age-within = За последние
settings-inbox-age-older = Более
settings-inbox-minutes-label = Минуты
# После введённого числа; $age — «within» или «older».
settings-inbox-minutes = { $age ->
    [older] { $count ->
        [one] минуты назад
        [few] минут назад
       *[many] минут назад
    }
   *[within] { $count ->
        [one] минуту
        [few] минуты
       *[many] минут
    }
}
settings-inbox-conditions = Условия для контакта (должны выполняться все)
settings-inbox-condition-field = Условие { $number }: поле
settings-inbox-condition-op = Условие { $number }: сравнение
settings-inbox-condition-value = Условие { $number }: значение
settings-inbox-condition-remove-label = Удалить условие { $number }
settings-inbox-condition-remove = Удалить
settings-inbox-condition-add = Добавить условие
settings-inbox-field-first-name = Имя
settings-inbox-field-last-name = Фамилия
settings-inbox-field-email = Эл. почта
settings-inbox-field-phone = Телефон
settings-inbox-op-is = равно
settings-inbox-op-contains = содержит
settings-inbox-op-is-set = заполнено
settings-inbox-op-is-not-set = не заполнено
settings-inbox-op-more = больше
settings-inbox-op-less = меньше
settings-inbox-shared = Доступна (если никто не выбран — только вам)
settings-inbox-share-team = Команда «{ $name }»
settings-inbox-save = Сохранить папку
settings-inbox-name-length = Название пользовательской папки — от 1 до 100 символов.
settings-inbox-ordered-only = Сравнивать «больше» и «меньше» можно только поля-числа и поля-даты.
settings-inbox-value-needed = Укажите значение для каждого условия.
settings-inbox-minutes-needed = Укажите время — не меньше одной минуты.

## Файлы сниппета (T3)

settings-snippet-files = Файлы
settings-snippet-files-hint = Отправляются вместе с текстом сниппета: до 50 файлов тех типов, что принимает сообщение.

## ИИ-провайдер (T7)

settings-ai-title = ИИ-провайдер
settings-ai-hint = Любой API, совместимый с OpenAI: облачный провайдер или собственный сервер моделей (Ollama, llama.cpp, vLLM). Номера телефонов и адреса почты ему не передаются.
settings-ai-base-url = Базовый адрес
settings-ai-model = Модель
settings-ai-organization = Организация (необязательно)
settings-ai-key = Ключ API
settings-ai-key-kept = Ключ сохранён. Введите новый, чтобы заменить его; сохранённый ключ больше не показывается.
settings-ai-key-none = Ключ не сохранён. Собственным серверам он может быть не нужен.
settings-ai-save = Сохранить провайдера
settings-ai-remove = Удалить
settings-ai-remove-confirm = Удалить ИИ-провайдера и его ключ? Функции ИИ перестанут работать, пока провайдер не будет настроен снова.
settings-ai-saved = ИИ-провайдер сохранён.
settings-ai-removed = ИИ-провайдер удалён.
settings-ai-model-needed = Укажите модель.
settings-ai-answers = ИИ отвечает моделью
settings-ai-none = ИИ-провайдер не настроен. Его может добавить владелец или менеджер.
settings-prompts-title = ИИ-подсказки
settings-prompts-hint = Собственные подсказки пространства: они предлагаются рядом со стандартными в меню ИИ-подсказок каждого редактора. Агент выбирает подсказку, проверяет результат и заменяет им черновик.
settings-prompts-none = Своих подсказок пока нет.
settings-prompts-form = Подсказка
settings-prompts-name = Название
settings-prompts-instructions = Что ИИ должен сделать с черновиком
settings-prompts-instructions-example = Ответь в нашем стиле: тепло, кратко, без восклицательных знаков.
settings-prompts-name-needed = Дайте подсказке название.
settings-prompts-instructions-needed = Опишите, что должен сделать ИИ.
settings-prompts-add = Добавить подсказку
settings-prompts-save = Сохранить подсказку
settings-prompts-cancel = Отмена
settings-prompts-edit = Изменить
settings-prompts-edit-named = Изменить { $name }
settings-prompts-delete = Удалить
settings-prompts-delete-named = Удалить { $name }
settings-prompts-delete-confirm = Удалить подсказку? Агенты больше не найдут её.
settings-prompts-saved = Подсказка сохранена.
settings-prompts-deleted = Подсказка удалена.
settings-agent-title = ИИ-агент
settings-agent-hint = Назначьте разговор ИИ-агенту, как коллеге: он отвечает клиенту через его канал, а если не может помочь, передаёт разговор команде с комментарием о причине. Кнопка «Перехватить» в разговоре останавливает его сразу. Он использует ИИ-провайдера, настроенного выше.
settings-agent-enabled = ИИ-агент отвечает в назначенных ему разговорах
settings-agent-instructions = Инструкции
settings-agent-instructions-example = Чем занимается ваша компания, что ИИ-агенту можно обещать и когда передавать разговор людям (возвраты, жалобы…).
settings-agent-instructions-needed = Прежде чем включить ИИ-агента, опишите, что ему делать.
settings-agent-save = Сохранить ИИ-агента
settings-agent-saved = ИИ-агент сохранён.
settings-agent-on = ИИ-агент отвечает в назначенных ему разговорах.
settings-agent-off = ИИ-агент выключен.
settings-hubspot-hint = Агенты видят запись клиента из HubSpot в панели контакта (поиск по адресу почты или номеру телефона) и редактируют её поля там же. Создайте в HubSpot приватное приложение с правами на чтение и запись контактов и вставьте его токен доступа.
settings-hubspot-form = Подключение HubSpot
settings-hubspot-token = Токен доступа
settings-hubspot-token-kept = Подключён аккаунт HubSpot { $portal }. Вставьте новый токен, чтобы заменить сохранённый; он больше не показывается.
settings-hubspot-token-none = Пока не подключён.
settings-hubspot-properties = Показываемые свойства
settings-hubspot-properties-hint = Внутренние имена свойств HubSpot через запятую, в том порядке, в каком их покажет панель. Адрес почты и номера телефонов всегда только для чтения.
settings-hubspot-save = Подключить HubSpot
settings-hubspot-saved = HubSpot подключён.
settings-hubspot-disconnect = Отключить
settings-hubspot-disconnect-confirm = Отключить HubSpot? Токен будет забыт, и панель контакта перестанет показывать записи HubSpot.
settings-hubspot-disconnected = HubSpot отключён.
settings-hubspot-on = HubSpot подключён: панель контакта показывает записи клиентов из HubSpot.
settings-hubspot-off = HubSpot не подключён.
settings-salesforce-hint = Агенты видят контакт клиента из Salesforce в панели контакта (поиск по адресу почты или номеру телефона) и редактируют его поля там же. Создайте подключённое приложение с доступом к API и токенам обновления, затем укажите его ключ потребителя и либо токен обновления с секретом потребителя, либо пользователя и закрытый ключ сертификата приложения (вход по JWT).
settings-salesforce-form = Подключение Salesforce
settings-salesforce-client-id = Ключ потребителя
settings-salesforce-sandbox = Песочница (тестовая организация Salesforce)
settings-salesforce-flow = Как Switchboard входит в Salesforce
settings-salesforce-flow-refresh = Токен обновления
settings-salesforce-flow-jwt = Вход по JWT (сертификат)
settings-salesforce-client-secret = Секрет потребителя
settings-salesforce-refresh-token = Токен обновления
settings-salesforce-username = Имя пользователя Salesforce
settings-salesforce-private-key = Закрытый ключ (PEM)
settings-salesforce-kept = Подключена организация { $org }. Вставьте новые данные для входа, чтобы заменить сохранённые; они больше не показываются.
settings-salesforce-none = Для этого способа входа данные не сохранены.
settings-salesforce-fields = Показываемые поля контакта
settings-salesforce-fields-hint = API-имена полей Salesforce через запятую, в том порядке, в каком их покажет панель. Адрес почты и номера телефонов всегда только для чтения.
settings-salesforce-save = Подключить Salesforce
settings-salesforce-saved = Salesforce подключён.
settings-salesforce-disconnect = Отключить
settings-salesforce-disconnect-confirm = Отключить Salesforce? Данные для входа будут забыты, и панель контакта перестанет показывать записи Salesforce.
settings-salesforce-disconnected = Salesforce отключён.
settings-salesforce-on = Salesforce подключён: панель контакта показывает записи клиентов из Salesforce.
settings-salesforce-off = Salesforce не подключён.
settings-dialogflow-hint = Бот Dialogflow отвечает на входящие сообщения диалога с помощью вашего агента Dialogflow, когда агент включает его в меню ⋮ диалога. Если бот не понял вопрос или произошёл сбой, он оставляет диалог команде и пишет комментарий. Создайте сервисный аккаунт с ролью клиента API Dialogflow и вставьте его ключ в формате JSON.
settings-dialogflow-form = Подключение Dialogflow
settings-dialogflow-key = Ключ сервисного аккаунта (JSON)
settings-dialogflow-key-kept = Подключён проект { $project } от имени { $account }. Вставьте новый ключ, чтобы заменить сохранённый; он больше не показывается.
settings-dialogflow-key-none = Пока не подключён.
settings-dialogflow-language = Код языка
settings-dialogflow-language-hint = Язык, на котором боту задают вопросы: код языка из настроек агента Dialogflow.
settings-dialogflow-save = Подключить Dialogflow
settings-dialogflow-saved = Dialogflow подключён.
settings-dialogflow-disconnect = Отключить
settings-dialogflow-disconnect-confirm = Отключить Dialogflow? Ключ будет забыт, и бот перестанет отвечать на сообщения.
settings-dialogflow-disconnected = Dialogflow отключён.
settings-dialogflow-on = Dialogflow подключён: агенты могут включить бота в меню ⋮ диалога.
settings-dialogflow-off = Dialogflow не подключён.
workflows-title = Сценарии
workflows-hint = Сценарий — это триггер и шаги, выполняемые по порядку: отправить сообщение, добавить комментарий, назначить, закрыть, изменить поле контакта, подождать, продолжить только при условии или вызвать адрес в интернете. Сценарии-ярлыки агенты запускают из меню ⚡ диалога.
workflows-none = Сценариев пока нет.
workflows-steps-count = { $count ->
    [one] { $count } шаг
    [few] { $count } шага
   *[other] { $count } шагов
}
workflows-off = выключен
workflows-enable = Включить
workflows-disable = Выключить
workflows-edit = Изменить
workflows-edit-named = Изменить { $name }
workflows-delete = Удалить
workflows-delete-named = Удалить { $name }
workflows-delete-confirm = Удалить этот сценарий? Его текущие запуски будут остановлены.
workflows-deleted = Сценарий удалён.
workflows-saved = Сценарий сохранён.
workflows-form = Сценарий
workflows-name = Название
workflows-trigger = Триггер
workflows-trigger-shortcut = Ярлык (запускает агент)
workflows-trigger-opened = Диалог открыт
workflows-trigger-closed = Диалог закрыт
workflows-trigger-field = Изменено поле контакта
workflows-trigger-any-field = Изменено любое поле контакта
workflows-trigger-one-field = Изменено поле «{ $field }»
workflows-enabled = Включён
workflows-steps = Шаги
workflows-step-kind = Шаг
workflows-step-send-message = Отправить сообщение
workflows-step-add-comment = Добавить комментарий
workflows-step-assign = Назначить
workflows-step-close = Закрыть диалог
workflows-step-update-field = Изменить поле контакта
workflows-step-wait = Подождать
workflows-step-branch = Продолжить, только если
workflows-step-http = Вызвать адрес (HTTP)
workflows-add-step = Добавить шаг
workflows-add-step-choose = Выберите шаг…
workflows-text = Текст
workflows-assignee = Назначить
workflows-unassign = Никому (снять назначение)
workflows-field = Поле
workflows-value = Значение
workflows-wait-amount = Сколько
workflows-wait-unit = Единица
workflows-unit-days = дней
workflows-unit-hours = часов
workflows-unit-minutes = минут
workflows-unit-seconds = секунд
workflows-condition = Условие
workflows-if-assigned = диалог назначен
workflows-if-unassigned = диалог не назначен
workflows-if-open = диалог открыт
workflows-if-closed = диалог закрыт
workflows-if-field = поле «{ $field }» равно
workflows-equals = Значение для сравнения
workflows-otherwise-skip = иначе пропустить следующих шагов:
workflows-method = Метод
workflows-url = Адрес
workflows-body = Тело запроса (JSON, необязательно)
workflows-move-up = Выше
workflows-move-down = Ниже
workflows-remove-step = Убрать шаг
workflows-cancel = Отмена
workflows-save = Сохранить сценарий
workflows-add = Добавить сценарий
