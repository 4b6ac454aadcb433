# Что говорит push-уведомление (сервис-воркер показывает его как есть).

push-colleague = Коллега
push-mention = { $actor } упомянул(а) вас: { $text }
push-assigned-by = { $actor } назначил(а) вам разговор
push-assigned = Вам назначен разговор
push-new-messages = { $count ->
    [one] { $count } новое сообщение · { $text }
    [few] { $count } новых сообщения · { $text }
   *[many] { $count } новых сообщений · { $text }
}
push-snooze-over = ⏰ Время откладывания истекло: разговор вернулся
push-reply = Ответить
push-reply-placeholder = Напишите ответ…
push-not-sent = Ваш ответ не отправлен
push-offline = Нет подключения к интернету.
push-try-again = Откройте разговор, чтобы попробовать ещё раз.
