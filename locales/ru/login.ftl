# Вход, принятие приглашения и стартовая страница.

login-loading = Загрузка…

## Страница входа.

login-title = Вход во «Входящие»
login-email = Электронная почта
login-password = Пароль
login-submit = Войти
login-submitting = Вход…
login-wrong-credentials = Неверный адрес электронной почты или пароль.

## Страница приглашения.

login-invite-title = Приглашение
login-invite-expired = Эта ссылка-приглашение больше не действует. Попросите новую.
login-invite-join = Присоединиться к «{ $workspace }»
login-invite-as = Приглашение для { $email }, роль — { $role }.
login-invite-your-name = Ваше имя
login-invite-your-password = Ваш пароль
login-invite-choose-password = Придумайте пароль
login-invite-name-required = Введите имя.
login-invite-password-too-short = Придумайте пароль не короче { $count ->
    [one] { $count } символа
    [few] { $count } символов
   *[many] { $count } символов
}.
login-invite-wrong-password = Это не пароль этой учётной записи.

# Роль, которую даёт приглашение («Приглашение для …, роль — …»).
login-role-owner = владелец
login-role-manager = менеджер
login-role-agent = оператор

## Стартовая страница учётной записи без рабочего пространства.

login-home-no-workspace = Рабочего пространства пока нет
login-home-ask-owner = Попросите владельца рабочего пространства пригласить вас.
