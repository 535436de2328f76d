/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-undo-send.c: undo-send. The message is stored in the Outbox at once, so
 * it is never lost, but held for the seconds of "mail-undo-send-delay" (the engine
 * honours the hold across restarts); the toast says when it goes and offers Undo for
 * as long. Undo itself is the Outbox's Edit: the message leaves the Outbox and comes
 * back in a composer. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-outbox.h"
#include "kontor-mail-undo-send.h"

struct _KontorMailUndoSendJob
{
  KontorMailComposeFields *fields;
  guint delay;
};

/* On the main thread: the delay is the one chosen when Send was pressed. */
KontorMailUndoSendJob *
kontor_mail_undo_send_job_new (KontorMailComposeFields *fields)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  KontorMailUndoSendJob *job = g_new0 (KontorMailUndoSendJob, 1);

  job->fields = fields;
  job->delay = g_settings_get_uint (settings, "mail-undo-send-delay");
  return job;
}

void
kontor_mail_undo_send_job_free (KontorMailUndoSendJob *job)
{
  if (job == NULL)
    return;
  kontor_mail_compose_fields_free (job->fields);
  g_free (job);
}

/* In a worker thread; returns the Outbox id. */
gpointer
kontor_mail_undo_send_job_run (KontorMailEngine *engine,
                               gpointer data,
                               GCancellable *cancellable,
                               GError **error)
{
  KontorMailUndoSendJob *job = data;

  return kontor_mail_outbox_queue_held_sync (kontor_mail_engine_get_outbox (engine), job->fields,
                                             job->delay, cancellable, error);
}

/* "Sending in N seconds" with Undo while the entry @id is held, else %NULL. The toast
 * lasts as long as the hold; its button's action target is @id. */
AdwToast *
kontor_mail_undo_send_toast_new (KontorMailEngine *engine, const char *id)
{
  KontorMailOutbox *outbox = kontor_mail_engine_get_outbox (engine);
  gint64 after = outbox != NULL ? kontor_mail_outbox_get_send_after (outbox, id) : 0;
  gint64 left_us = after * G_USEC_PER_SEC - g_get_real_time ();
  /* The hold was rounded up to whole seconds: the delay chosen, not one more. */
  gint64 left = left_us / G_USEC_PER_SEC;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (after == 0 || left <= 0)
    return NULL;
  /* Offline, it waits for the connection anyway; Undo is offered all the same. */
  if (kontor_mail_engine_get_work_offline (engine))
    title = g_strdup (_ ("Message queued"));
  else
    title = g_strdup_printf (
      ngettext ("Sending in %u second", "Sending in %u seconds", (gulong) left), (guint) left);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _ ("_Undo"));
  adw_toast_set_action_name (toast, "app.mail-edit-outbox");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  return toast;
}
