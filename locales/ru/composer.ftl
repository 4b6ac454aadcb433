# Поле ответа: сообщение или комментарий, списки подстановок, файлы, записи, шаблоны и каналы.

## Сообщение или комментарий, поле и его кнопки

composer-mode-group = Написать
composer-mode-message = Сообщение
composer-mode-comment = Комментарий
composer-show-original = Показать исходное сообщение
composer-cancel-reply = Отменить ответ
composer-send-template = Отправить шаблон
composer-subject = Тема
composer-placeholder-message = Напишите ответ
composer-placeholder-comment = Внутренний комментарий — его видит только ваша команда
composer-send = Отправить
composer-add-comment = Добавить комментарий
composer-text-too-long = { $chars ->
    [one] В сообщении { $chars } символ
    [few] В сообщении { $chars } символа
   *[many] В сообщении { $chars } символов
}, а можно не больше { $limit }.
composer-text-empty = Сообщение пустое.
composer-text-control = В сообщении есть невидимые управляющие символы.

## Списки: @ упоминания, $ переменные, / сниппеты

composer-picker-mention = Упоминание
composer-picker-variable = Переменная
composer-picker-snippet = Сниппет
composer-hint-mention = упоминание
composer-hint-empty = пусто

## Переменные и их подстановка при отправке

composer-variable-first-name = Имя контакта
composer-variable-last-name = Фамилия контакта
composer-variable-email = Эл. почта контакта
composer-variable-phone = Телефон контакта
composer-variable-agent-name = Ваше имя
composer-variable-workspace-name = Название рабочего пространства
composer-variable-missing = У этого контакта не заполнено «{ $label }»: впишите значение сами или задайте запасное, например {"{{"}{ $key }|текст{"}}"}.
composer-variable-unknown = Переменной {"{{"}{ $key }{"}}"} нет.

## Файлы

composer-attach = Прикрепить файлы
composer-attach-title = Прикрепить файлы (до { $max }, каждый до { $size } МБ)
composer-attached-files = Прикреплённые файлы
composer-file-uploading = Загрузка…
composer-file-remove = Удалить «{ $name }»
composer-files-wait = Дождитесь, пока файлы загрузятся.
composer-files-failed = Удалите файлы, которые не удалось загрузить, или прикрепите их заново.
composer-file-type = «{ $name }» нельзя отправить: допустимы только файлы { $types }.
composer-file-too-big = «{ $name }» весит { $size } МБ, а файл может быть не больше { $limit } МБ.
composer-file-empty = Файл «{ $name }» пустой.
composer-file-bad-name = «{ $name }» не подходит как имя файла (не больше { $limit ->
    [one] { $limit } символа
   *[other] { $limit } символов
}, без папок).
composer-file-too-many = К сообщению можно прикрепить не больше { $max ->
    [one] { $max } файла
   *[other] { $max } файлов
}, а здесь { $count ->
    [one] { $count } файл
    [few] { $count } файла
   *[many] { $count } файлов
}.

## Голосовые сообщения и видеосообщения

composer-record-voice = Записать голосовое сообщение
composer-record-video = Записать видеосообщение
composer-record-unsupported = Этот браузер не умеет записывать в формате, который принимают каналы (MP4).
composer-record-allow-microphone = Разрешите доступ к микрофону, чтобы начать запись…
composer-record-allow-camera = Разрешите доступ к камере, чтобы начать запись…
composer-record-dismiss = Закрыть
composer-recording-voice = Идёт запись голосового сообщения
composer-recording-video = Идёт запись видеосообщения
composer-record-stop = Остановить
composer-recorded-voice = Записанное голосовое сообщение
composer-recorded-video = Записанное видеосообщение
composer-playback-speed = Скорость воспроизведения
composer-record-download = Скачать
composer-record-again = Записать заново
composer-record-delete = Удалить
composer-record-attach = Прикрепить
composer-record-attach-failed = Не удалось прикрепить запись.
composer-refusal-denied-voice = У Switchboard нет доступа к микрофону: разрешите его в настройках сайта в браузере.
composer-refusal-denied-video = У Switchboard нет доступа к камере и микрофону: разрешите его в настройках сайта в браузере.
composer-refusal-missing-voice = Микрофон не найден.
composer-refusal-missing-video = Камера и микрофон не найдены.
composer-refusal-busy-voice = Микрофон занят другим приложением.
composer-refusal-busy-video = Камера и микрофон заняты другим приложением.
composer-refusal-failed-voice = Не удалось записать голосовое сообщение.
composer-refusal-failed-video = Не удалось записать видеосообщение.
# Имя файла записи: stamp — её дата и время («2026-11-26-040405»).
composer-recording-file-voice = голосовое-{ $stamp }.{ $extension }
composer-recording-file-video = видео-{ $stamp }.{ $extension }

## Шаблоны WhatsApp (24-часовое окно закрыто)

composer-template-title = Отправить шаблон WhatsApp
composer-template-window = Вне 24-часового окна WhatsApp доставляет только шаблоны, одобренные Meta.
composer-template-loading = Загрузка одобренных шаблонов…
composer-template-none = У этого номера нет одобренных шаблонов, которые Switchboard может отправить. Шаблоны создаются и одобряются в WhatsApp Manager от Meta.
composer-template-list = Одобренные шаблоны
composer-template-result = Как это прочитает контакт
composer-template-cancel = Отмена
composer-template-send = Отправить шаблон
composer-template-count = { $expected ->
    [one] Этому шаблону нужно { $expected } значение
    [few] Этому шаблону нужно { $expected } значения
   *[many] Этому шаблону нужно { $expected } значений
}, а не { $given }.
composer-template-empty = Заполните {"{{"}{ $name }{"}}"}.
composer-template-shape = Значение {"{{"}{ $name }{"}}"} слишком длинное или содержит переносы строк, табуляцию или несколько пробелов подряд — WhatsApp такое не принимает.

## Переключатель каналов

composer-send-through = Отправить через
composer-quote-dropped = { $channel } не показывает цитаты: цитата удалена.

## Файлы сниппета (T3)

composer-snippet-files = { $count ->
    [one] { $count } файл: { $names }
    [few] { $count } файла: { $names }
   *[many] { $count } файлов: { $names }
}
composer-snippet-file-gone = Этого файла в сниппете больше нет.

## ИИ в редакторе комментариев (K10)

composer-ai-summary = Сводка ИИ
composer-ai-writing = ИИ пишет сводку разговора…
composer-ai-stop = Остановить
composer-ai-not-configured = Для этого рабочего пространства не настроен ИИ-провайдер. Владелец или менеджер может добавить его в настройках.
composer-ai-empty = ИИ-провайдер ответил без сводки.
composer-ai-cut-off = Сводка оборвалась, не будучи дописанной.
composer-ai-assist = ИИ-помощник
composer-ai-drafting = ИИ готовит черновик ответа…
composer-ai-rate = Как вам черновик?
composer-ai-rate-good = Удачный черновик
composer-ai-rate-bad = Неудачный черновик
composer-ai-thanks = Спасибо за оценку черновика.
composer-ai-feedback-title = Что было не так с черновиком?
composer-ai-feedback-skip = Пропустить
composer-ai-feedback-send = Отправить отзыв
composer-ai-intro-title = Знакомьтесь: ИИ-помощник
composer-ai-intro = Он готовит черновик ответа по этому разговору и сниппетам рабочего пространства. Прочитайте и поправьте черновик перед отправкой; оцените его, чтобы сказать, насколько он удался.
composer-ai-intro-go = Подготовить ответ
composer-ai-intro-later = Не сейчас
composer-ai-reply-with = Ответить с ИИ-помощником
composer-ai-prompts = ИИ-подсказки
composer-ai-prompt-rephrase = Перефразировать
composer-ai-prompt-fix-spelling = Исправить орфографию и грамматику
composer-ai-prompt-friendlier = Сделать дружелюбнее
composer-ai-prompt-more-formal = Сделать официальнее
composer-ai-prompt-simplify = Упростить
composer-ai-prompt-shorter = Сократить
composer-ai-prompt-longer = Расширить
composer-ai-translate-contact = Перевести на язык клиента
composer-ai-translate-into = Перевести на
composer-ai-translate-choose = Выберите язык
composer-ai-custom-prompts = Подсказки вашего пространства
composer-ai-prompts-loading = Загружаем подсказки пространства…
composer-ai-suggestion = Предложение ИИ
composer-ai-rewriting = Переписываем…
composer-ai-replace = Заменить черновик
composer-ai-discard = Отклонить
composer-ai-replaced = Черновик заменён.
composer-ai-undo = Отменить
composer-ai-translated-note = Коллеги увидят и ваш исходный текст.
ai-language-en = английский
ai-language-ru = русский
ai-language-uk = украинский
ai-language-de = немецкий
ai-language-fr = французский
ai-language-es = испанский
ai-language-it = итальянский
ai-language-pt = португальский
ai-language-tr = турецкий
ai-language-ar = арабский
ai-language-zh = китайский
ai-language-ja = японский
