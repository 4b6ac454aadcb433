# Панель контакта рядом с разговором и окно «Новый контакт».

## Панель: кто этот контакт, звонок, поиск по его сообщениям.

contacts-title = Контакт
contacts-close-details = Закрыть сведения о контакте
contacts-loading = Загрузка…
contacts-blocked = Заблокирован
contacts-call = Позвонить
contacts-call-hidden = Номера телефонов от вас скрыты, поэтому звонить нельзя.
contacts-add-number-to-call = Добавить номер для звонка
contacts-search-in-messages = Поиск по сообщениям
contacts-email = Эл. почта
contacts-phone = Телефон
contacts-phone-hidden = Скрыт
contacts-added = Добавлен
contacts-saved = Сохранено.
contacts-edit-details = Изменить данные

## Изменение контакта.

contacts-first-name = Имя
contacts-last-name = Фамилия
contacts-phone-hidden-no-edit = Номер от вас скрыт, поэтому изменить его здесь нельзя.
contacts-phone-masked-add = Номера от вас скрыты: добавленный номер сохранится и после сохранения будет скрыт.
contacts-cancel = Отмена
contacts-save = Сохранить

## Что не так со значением (проверка как на сервере).

contacts-error-control = Удалите невидимые управляющие символы.
contacts-error-name-too-long = { $max ->
    [one] Не более { $max } символа.
    [few] Не более { $max } символов.
   *[many] Не более { $max } символов.
}
contacts-error-email = Введите адрес эл. почты, например name@example.com.
contacts-error-phone = Введите номер телефона из 5–20 цифр, например +7 912 555-01-23.
# Ошибка дополнительного поля начинается с его названия.
contacts-error-field-control = { $field }: удалите невидимые управляющие символы.
contacts-error-field-too-long = { $max ->
    [one] { $field }: не более { $max } символа.
    [few] { $field }: не более { $max } символов.
   *[many] { $field }: не более { $max } символов.
}
contacts-error-field-number = { $field }: введите число.
contacts-error-field-date = { $field }: введите дату в формате ГГГГ-ММ-ДД.
contacts-error-field-list = { $field }: выберите одно из значений — { $options }.

## Окно «Новый контакт».

contacts-new-title = Новый контакт
contacts-new-needs-something = Укажите имя, адрес эл. почты или номер телефона.
contacts-new-starts-closed = Контакт будет во вкладке «Закрытые», пока кто-нибудь не напишет.
contacts-add = Добавить контакт
crm-view-in = Открыть в { $crm }
crm-loading = Ищем клиента в HubSpot…
crm-not-found = В HubSpot нет контакта с этим адресом почты или номером телефона.
crm-retry = Повторить
crm-hidden = Скрыт
crm-save = Сохранить
crm-revert = Вернуть прежнее значение
crm-copy = Копировать
crm-copied = Скопировано
workflows-ongoing = Текущие сценарии
workflows-stop = Остановить
workflows-stop-named = Остановить { $name }
workflows-stop-all = Остановить все
workflows-stop-confirm = Остановить этот сценарий? Он не выполнит больше ни одного шага.
workflows-stop-all-confirm = Остановить все текущие сценарии этого контакта ({ $count })? Они не выполнят больше ни одного шага.
workflows-stopped = { $count ->
    [one] Сценарий остановлен.
    [few] Остановлено { $count } сценария.
   *[other] Остановлено { $count } сценариев.
}
workflows-step-of = Шаг { $step } из { $total }
workflows-waits-until = ждёт до { $until }
