/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-keep.c: "Keep as Draft" puts the message in the Drafts folder
 * of the account it is from, flagged \Draft, so that it is there on every device. That
 * happens in a worker after the window closed; the draft file stays on this computer
 * until the server has the copy, so a message that cannot be stored there (working
 * offline, no Drafts folder, no valid recipient yet) opens again at the next start. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include "kontor-mail-composer-private.h"
#include "kontor-mail-folder.h"

typedef struct
{
  KontorMailComposeFields *fields;
  char *account_id;
  char *name;
  char *address;
  char *draft_path;
} KeepJob;

static void
keep_job_free (gpointer data)
{
  KeepJob *job = data;

  kontor_mail_compose_fields_free (job->fields);
  g_free (job->account_id);
  g_free (job->name);
  g_free (job->address);
  g_free (job->draft_path);
  g_free (job);
}

static gpointer
keep_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  KeepJob *job = data;
  KontorMailAccount *borrowed = kontor_mail_engine_lookup_account (engine, job->account_id);
  g_autoptr (KontorMailAccount) account = borrowed != NULL ? g_object_ref (borrowed) : NULL;
  KontorMailSender sender = { job->name, job->address };
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (CamelFolder) folder = NULL;
  g_autoptr (CamelMessageInfo) info = NULL;

  if (account == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no Drafts folder");
      return NULL;
    }
  if ((message = kontor_mail_compose_build (job->fields, &sender, NULL, cancellable, error)) ==
        NULL ||
      (folder = kontor_mail_account_ref_role_folder_sync (account, KONTOR_MAIL_ROLE_DRAFTS,
                                                          cancellable, error)) == NULL)
    return NULL;
  info = camel_message_info_new (NULL);
  camel_message_info_set_flags (info, CAMEL_MESSAGE_DRAFT | CAMEL_MESSAGE_SEEN,
                                CAMEL_MESSAGE_DRAFT | CAMEL_MESSAGE_SEEN);
  if (!camel_folder_append_message_sync (folder, message, info, NULL, cancellable, error))
    return NULL;
  return g_strdup (job->draft_path);
}

static void
kept_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path =
    kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);

  if (path == NULL)
    {
      g_message ("The draft stays on this computer: %s", error->message);
      return;
    }
  kontor_mail_composer_delete_draft_file (path);
}

/* The account sending as @address, else the first one. */
static char *
dup_account_id (KontorMailEngine *engine, const char *address)
{
  GListModel *roots = kontor_mail_engine_get_folders (engine);
  g_autofree char *first = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (roots); i++)
    {
      g_autoptr (KontorMailFolder) root = g_list_model_get_item (roots, i);
      const char *id = kontor_mail_folder_get_account_id (root);
      KontorMailAccount *account =
        id != NULL ? kontor_mail_engine_lookup_account (engine, id) : NULL;

      if (account == NULL)
        continue;
      if (address != NULL &&
          g_ascii_strcasecmp (kontor_mail_account_get_email (account) ?: "", address) == 0)
        return g_strdup (id);
      if (first == NULL)
        first = g_strdup (id);
    }
  return g_steal_pointer (&first);
}

void
kontor_mail_composer_keep (KontorMailComposer *self)
{
  KeepJob *job;
  guint from = gtk_drop_down_get_selected (self->from_dropdown);
  g_autoptr (CamelInternetAddress) sender = camel_internet_address_new ();
  const char *name = NULL, *address = NULL;

  kontor_mail_composer_save_now (self);
  if (kontor_mail_engine_get_work_offline (self->engine) || self->senders == NULL ||
      from >= g_strv_length (self->senders) ||
      camel_address_decode (CAMEL_ADDRESS (sender), self->senders[from]) <= 0 ||
      !camel_internet_address_get (sender, 0, &name, &address))
    return;
  job = g_new0 (KeepJob, 1);
  job->fields = kontor_mail_composer_dup_fields (self);
  job->account_id = dup_account_id (self->engine, address);
  job->name = g_strdup (name);
  job->address = g_strdup (address);
  job->draft_path = g_strdup (self->draft_path);
  if (job->account_id == NULL)
    {
      keep_job_free (job);
      return;
    }
  /* Not the window's cancellable: the window closes now. */
  kontor_mail_engine_run_async (self->engine, keep_job, job, keep_job_free, g_free, NULL, kept_cb,
                                NULL);
}
