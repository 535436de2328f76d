/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composers-edit.c: Edit in the Outbox and Undo after Send. The message
 * leaves the Outbox in a worker thread (unless it is being sent that very moment) and
 * opens in a composer with what it was made of: From, To, Cc, Bcc from the envelope,
 * subject, text, threading headers and attachments. The attachments are written
 * beside the composer's draft file, so they go with the draft. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-error.h"
#include "kontor-mail-composer-private.h"
#include "kontor-mail-composers-edit.h"
#include "kontor-mail-outbox.h"

typedef struct
{
  KontorMailComposers *composers;
  KontorMailPage *page; /* weak */
  char *id;
  char *draft_path;
} EditJob;

static void
edit_job_free (EditJob *job)
{
  g_object_unref (job->composers);
  g_clear_weak_pointer (&job->page);
  g_free (job->id);
  g_free (job->draft_path);
  g_free (job);
}

static gpointer
take_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  EditJob *job = data;
  g_autofree char *parts = g_strconcat (job->draft_path, ".parts", NULL);

  return kontor_mail_outbox_take_fields_sync (kontor_mail_engine_get_outbox (engine), job->id,
                                              parts, cancellable, error);
}

static void
taken_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  EditJob *job = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorMailComposeFields) fields =
    kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  KontorMailComposer *composer;

  if (fields == NULL)
    {
      if (job->page != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Undo pressed as the hold ended: the message went meanwhile. */
          g_autofree char *text =
            g_error_matches (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND)
              ? g_strdup (_ ("Too late: the message was sent already"))
              : g_strdup_printf (_ ("The message cannot be edited: %s"), error->message);
          g_autofree char *escaped = g_markup_escape_text (text, -1);

          kontor_mail_page_add_toast (job->page, adw_toast_new (escaped));
        }
      edit_job_free (job);
      return;
    }
  composer = kontor_mail_composers_open_fields (job->composers, fields);
  kontor_mail_composer_set_draft_path (composer, job->draft_path);
  /* Kept as a draft file at once: the Outbox no longer holds the message. */
  kontor_mail_composer_save_now (composer);
  kontor_mail_composer_toast (composer, _ ("Not sent: the message is back for editing"));
  edit_job_free (job);
}

/* @page: (nullable): where a failure is told */
void
kontor_mail_composers_edit_outbox (KontorMailComposers *self,
                                   KontorMailEngine *engine,
                                   KontorMailPage *page,
                                   const char *id)
{
  EditJob *job = g_new0 (EditJob, 1);
  g_autofree char *dir = kontor_mail_composer_dup_drafts_dir ();
  g_autofree char *uuid = g_uuid_string_random ();

  g_return_if_fail (KONTOR_IS_MAIL_COMPOSERS (self));
  job->composers = g_object_ref (self);
  g_set_weak_pointer (&job->page, page);
  job->id = g_strdup (id);
  job->draft_path = g_build_filename (dir, uuid, NULL);
  kontor_mail_engine_run_async (engine, take_job, job, NULL,
                                (GDestroyNotify) kontor_mail_compose_fields_free, NULL, taken_cb,
                                job);
}
