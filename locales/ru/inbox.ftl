# Экран «Входящие»: боковая панель, список разговоров, поиск, центр уведомлений и сочетания клавиш.

## Страница вокруг панелей

inbox-loading = Загрузка…
inbox-workspace-not-found = Рабочее пространство не найдено
inbox-go-home = Перейти во «Входящие»
inbox-thread-pane = Разговор
inbox-pick-conversation = Выберите разговор, чтобы прочитать его и ответить.
inbox-folders = Папки
inbox-search-everything = Искать везде
inbox-blocked-no-snooze = Разговоры с заблокированными контактами нельзя отложить.
inbox-retry-failed = Не удалось повторить: { $error }
inbox-message-gone = Этого сообщения в разговоре больше нет.
# Для экранного диктора: контакт написал в разговор, который сейчас не открыт.
inbox-new-message-from = Новое сообщение: { $name }

## Боковая панель

inbox-sidebar-close = Закрыть папки
inbox-sidebar-workspace = Рабочее пространство
inbox-sidebar-teams = Команды
inbox-sidebar-created-by-me = Созданные мной
inbox-sidebar-shared-with-me = Доступные мне
inbox-sidebar-channels = Каналы
inbox-sidebar-settings = Настройки
inbox-sidebar-sign-out = Выйти
inbox-sidebar-open-title = Открытые разговоры
# Диктор читает это перед числом открытых разговоров папки.
inbox-sidebar-open = открытых:
inbox-sidebar-unread-title = Разговоры с непрочитанными сообщениями

inbox-folder-all = Все разговоры
inbox-folder-mine = Мои
inbox-folder-unassigned = Не назначенные
inbox-folder-blocked = Заблокированные
inbox-folder-team = Команда
inbox-folder-custom = Пользовательская папка

## Список разговоров

inbox-list-label = Разговоры
inbox-list-unread = { $count ->
    [one] { $count } новый
    [few] { $count } новых
   *[many] { $count } новых
}
inbox-list-new-contact = Новый контакт
inbox-list-search = Поиск разговоров
inbox-list-search-placeholder = Имя, телефон или почта
inbox-list-clear-search = Очистить поиск
inbox-list-status = Статус
inbox-list-sort = Сортировка
inbox-list-unreplied = Без ответа
inbox-list-reconnecting = Переподключение…
inbox-list-dismiss = Скрыть
inbox-list-load-more = Загрузить ещё
inbox-list-empty-search = Нет разговоров по запросу «{ $search }».
inbox-list-empty-unreplied = Ответа никто не ждёт.
inbox-list-empty = Здесь нет разговоров.

inbox-tab-all = Все
inbox-tab-open = Открытые
inbox-tab-closed = Закрытые
inbox-tab-snoozed = Отложенные

inbox-sort-newest = Сначала новые
inbox-sort-oldest = Сначала старые
inbox-sort-longest = Дольше всего в статусе
inbox-sort-shortest = Меньше всего в статусе

# Смахивание строки: что видно под ней и что говорится после.
inbox-list-swipe-close = Закрыть
inbox-list-swipe-snooze = Отложить
inbox-list-swipe-unsnooze = Вернуть
inbox-list-closing-note-needed = Нужна заметка о закрытии: откройте разговор и закройте его там.
inbox-list-closed = Разговор закрыт
# $until: «сегодня в 18:00», «завтра в 09:00», …
inbox-list-snoozed-until = Разговор отложен до { $until }
inbox-list-back-in-open = Снова в «Открытых»

## Строка списка

inbox-row-no-messages = Сообщений пока нет
inbox-row-preview-comment = Комментарий: { $text }
inbox-row-preview-you = Вы: { $text }
# Диктор читает это перед числом непрочитанных сообщений.
inbox-row-unread = непрочитанных:

## Искать везде

inbox-search-label = Поиск
inbox-search-field = Поиск по контактам, сообщениям и комментариям
inbox-search-placeholder = Контакты, сообщения и комментарии
inbox-search-hint = Введите имя, номер телефона или слова из сообщения.
inbox-search-searching = Поиск…
inbox-search-nothing = Ничего не найдено по запросу «{ $search }».
inbox-search-contacts = Контакты
inbox-search-contacts-found = Найденные контакты
inbox-search-messages = Сообщения и комментарии
inbox-search-messages-found = Найденные сообщения
inbox-search-more = Ещё сообщения
inbox-search-comment-by = { $sender } · комментарий

## Центр уведомлений

inbox-centre-title = Уведомления
inbox-centre-bell-unread = { $count ->
    [one] Уведомления, { $count } непрочитанное
    [few] Уведомления, { $count } непрочитанных
   *[many] Уведомления, { $count } непрочитанных
}
inbox-centre-empty = Пока ничего нет. Здесь появятся упоминания, назначения, новые сообщения в ваших разговорах и вернувшиеся отложенные разговоры.
inbox-centre-unread = Не прочитано
inbox-centre-mark-all-read = Прочитать все
inbox-centre-close = Закрыть уведомления

inbox-notification-mention = { $actor } упомянул(а) вас
inbox-notification-mention-colleague = Вас упомянул коллега
inbox-notification-assigned-by = { $actor } назначил(а) вам разговор
inbox-notification-assigned = Разговор назначен вам
inbox-notification-new-message = Новое сообщение
inbox-notification-new-messages = { $count ->
    [one] { $count } новое сообщение
    [few] { $count } новых сообщения
   *[many] { $count } новых сообщений
}
inbox-notification-snooze-over = ⏰ Отложенный разговор вернулся

inbox-push-unsupported = Этот браузер не поддерживает пуш-уведомления.
inbox-push-denied = Уведомления для этого сайта заблокированы. Разрешите их в настройках сайта в браузере, чтобы получать пуш-уведомления здесь.
inbox-push-on = Пуш-уведомления на этом устройстве включены.
inbox-push-turn-off = Выключить
inbox-push-offer = Получайте пуш-уведомление, когда здесь нужны вы, даже если приложение закрыто.
inbox-push-turn-on = Включить пуш-уведомления
inbox-push-what = О чём присылать уведомления
inbox-push-legend = Присылать уведомления
inbox-push-mentions = Упоминания
inbox-push-assignments = Назначения
inbox-push-new-messages = Новые сообщения в моих разговорах
inbox-push-snoozes = Возврат отложенных разговоров
inbox-push-snoozes-workspace = Сообщать назначенным о возврате отложенных разговоров (для всего рабочего пространства)

## Индикаторы набора

inbox-typing-one = { $name } печатает…
inbox-typing-comment = { $name } пишет комментарий…
inbox-typing-two = { $first } и { $second } печатают…
inbox-typing-more = { $first }, { $second } и ещё { $count ->
    [one] { $count } человек
    [few] { $count } человека
   *[many] { $count } человек
} печатают…

## Всплывающий список выбора (команды, упоминания, сниппеты)

inbox-picker-no-match = Ничего не найдено
inbox-picker-preview = Предпросмотр
