/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composers.c: where composers come from. Replies and forwards fetch the
 * message and build the draft in a worker thread (the parts a forward attaches are
 * written beside the draft file, since the Outbox attaches files); the From list is
 * the mail accounts' addresses and their aliases. A queued message is announced by a toast in the
 * main window, and drafts left by a crash are reopened with a toast that says so. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "kontor-account.h"
#include "kontor-mail-composers.h"
#include "kontor-mail-draft-store.h"
#include "kontor-mail-folder.h"
#include "kontor-mail-identities.h"
#include "kontor-mail-page-probe.h"
#include "kontor-mail-undo-send.h"

struct _KontorMailComposers
{
  GObject parent_instance;

  KontorMailEngine *engine;
  KontorAccountService *accounts;
  KontorAddressCompletion *completion;
  KontorMailPage *page; /* weak */
  GCancellable *cancellable;
  char *pending_toast; /* until the page exists */
};

G_DEFINE_FINAL_TYPE (KontorMailComposers, kontor_mail_composers, G_TYPE_OBJECT)

static void
toast (KontorMailComposers *self, const char *text)
{
  g_autofree char *escaped = NULL;

  if (self->page == NULL)
    {
      g_free (self->pending_toast);
      self->pending_toast = g_strdup (text);
      return;
    }
  escaped = g_markup_escape_text (text, -1);
  kontor_mail_page_add_toast (self->page, adw_toast_new (escaped));
}

/* Identities ---------------------------------------------------------------------------- */

static KontorAccount *
lookup_account (KontorMailComposers *self, KontorMailFolder *root)
{
  const char *id = kontor_mail_folder_get_account_id (root);

  return id != NULL && self->accounts != NULL ? kontor_account_service_lookup (self->accounts, id)
                                              : NULL;
}

/* "Name <address>" of each mail account, then of each of its aliases, in the folder
 * list's order. */
static GStrv
dup_senders (KontorMailComposers *self)
{
  GListModel *roots = kontor_mail_engine_get_folders (self->engine);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (roots); i++)
    {
      g_autoptr (KontorMailFolder) root = g_list_model_get_item (roots, i);
      KontorAccount *account = lookup_account (self, root);
      g_autoptr (GPtrArray) identities = NULL;

      if (account == NULL)
        continue;
      identities = kontor_mail_identities_for_account (account);
      for (guint j = 0; j < identities->len; j++)
        {
          g_autofree char *sender = kontor_mail_from_format (g_ptr_array_index (identities, j));

          g_strv_builder_add (builder, sender);
        }
    }
  return g_strv_builder_end (builder);
}

/* Composers opened before the engine read the accounts get their From list now. */
static void
senders_ready_cb (KontorMailEngine *engine, GParamSpec *pspec, KontorMailComposers *self)
{
  GApplication *application = g_application_get_default ();
  g_auto (GStrv) senders = NULL;

  if (!kontor_mail_engine_get_ready (engine) || !GTK_IS_APPLICATION (application))
    return;
  senders = dup_senders (self);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL;
       l = l->next)
    if (KONTOR_IS_MAIL_COMPOSER (l->data) && !kontor_mail_composer_has_senders (l->data))
      kontor_mail_composer_set_senders (l->data, (const char *const *) senders);
}

/* Opening --------------------------------------------------------------------------------- */

static void
queued_cb (KontorMailComposer *composer, const char *id, KontorMailComposers *self)
{
  AdwToast *undo = self->page != NULL ? kontor_mail_undo_send_toast_new (self->engine, id) : NULL;

  if (undo != NULL)
    {
      kontor_mail_page_add_toast (self->page, undo);
      return;
    }
  toast (self, kontor_mail_engine_get_work_offline (self->engine) ? _ ("Message queued")
                                                                  : _ ("Sending…"));
}

static KontorMailComposer *
new_composer (KontorMailComposers *self)
{
  GApplication *application = g_application_get_default ();
  g_auto (GStrv) senders = dup_senders (self);
  KontorMailComposer *composer = kontor_mail_composer_new (
    GTK_IS_APPLICATION (application) ? GTK_APPLICATION (application) : NULL, self->engine,
    self->completion, (const char *const *) senders);

  g_signal_connect_object (composer, "queued", G_CALLBACK (queued_cb), self, 0);
  return composer;
}

/* @draft: (nullable): what to start with; an empty message without it. */
KontorMailComposer *
kontor_mail_composers_open (KontorMailComposers *self, KontorMailDraft *draft)
{
  KontorMailComposer *composer;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (KONTOR_IS_MAIL_COMPOSERS (self), NULL);
  composer = new_composer (self);
  kontor_mail_probe_time_window (GTK_WINDOW (composer), "new", start);
  if (draft != NULL)
    kontor_mail_composer_set_draft (composer, draft);
  kontor_mail_composer_add_signature (composer);
  gtk_window_present (GTK_WINDOW (composer));
  return composer;
}

KontorMailComposer *
kontor_mail_composers_open_fields (KontorMailComposers *self, const KontorMailComposeFields *fields)
{
  KontorMailComposer *composer;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (KONTOR_IS_MAIL_COMPOSERS (self), NULL);
  composer = new_composer (self);
  kontor_mail_probe_time_window (GTK_WINDOW (composer), "fields", start);
  kontor_mail_composer_set_fields (composer, fields);
  kontor_mail_composer_add_signature (composer);
  gtk_window_present (GTK_WINDOW (composer));
  return composer;
}

/* Replies and forwards ------------------------------------------------------------------ */

typedef struct
{
  KontorMailComposers *self;
  char *message_id;
  KontorMailReplyMode mode;
  gboolean edit; /* a stored draft, opened as it is */
  GStrv senders;
  char *draft_path;
  GPtrArray *files; /* the written parts */
  gint64 start;     /* when it was asked for */
} ReplyJob;

static void
reply_job_free (gpointer data)
{
  ReplyJob *job = data;

  g_object_unref (job->self);
  g_free (job->message_id);
  g_strfreev (job->senders);
  g_free (job->draft_path);
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_free (job);
}

static gboolean
write_part (CamelMimePart *part, const char *dir, guint index, GPtrArray *files, GError **error)
{
  CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (part));
  const char *name = camel_mime_part_get_filename (part);
  g_autofree char *safe = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileOutputStream) out = NULL;

  if (name == NULL && CAMEL_IS_MIME_MESSAGE (content))
    name = camel_mime_message_get_subject (CAMEL_MIME_MESSAGE (content));
  safe =
    g_strdelimit (g_strdup (name != NULL && *name != '\0' ? name : _ ("attachment")), "/\\", '_');
  if (CAMEL_IS_MIME_MESSAGE (content) && !g_str_has_suffix (safe, ".eml"))
    {
      char *with_suffix = g_strconcat (safe, ".eml", NULL);

      g_free (safe);
      safe = with_suffix;
    }
  path = g_build_filename (dir, safe, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_free (path);
      path = g_strdup_printf ("%s/%u-%s", dir, index, safe);
    }
  file = g_file_new_for_path (path);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (out == NULL ||
      camel_data_wrapper_decode_to_output_stream_sync (content, G_OUTPUT_STREAM (out), NULL,
                                                       error) < 0 ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
    return FALSE;
  g_ptr_array_add (files, g_steal_pointer (&path));
  return TRUE;
}

static gpointer
reply_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  ReplyJob *job = data;
  g_autoptr (CamelMimeMessage) message =
    kontor_mail_engine_get_message_sync (engine, job->message_id, cancellable, error);
  g_autoptr (GArray) identities = g_array_new (FALSE, TRUE, sizeof (KontorMailIdentity));
  g_autoptr (GPtrArray) parsed = g_ptr_array_new_with_free_func (g_object_unref);
  KontorMailDraft *draft;
  g_autofree char *parts_dir = g_strconcat (job->draft_path, ".parts", NULL);

  if (message == NULL)
    return NULL;
  for (guint i = 0; job->senders[i] != NULL; i++)
    {
      CamelInternetAddress *address = camel_internet_address_new ();
      KontorMailIdentity identity = { NULL };

      g_ptr_array_add (parsed, address);
      if (camel_address_decode (CAMEL_ADDRESS (address), job->senders[i]) > 0 &&
          camel_internet_address_get (address, 0, &identity.name, &identity.address))
        g_array_append_val (identities, identity);
    }
  draft = job->edit
            ? kontor_mail_draft_new_from_message (message)
            : kontor_mail_reply_new_draft (message, (const KontorMailIdentity *) identities->data,
                                           identities->len, job->mode);
  if (draft->attachments->len > 0 && g_mkdir_with_parents (parts_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", parts_dir,
                   g_strerror (errno));
      kontor_mail_draft_unref (draft);
      return NULL;
    }
  for (guint i = 0; i < draft->attachments->len; i++)
    if (!write_part (g_ptr_array_index (draft->attachments, i), parts_dir, i, job->files, error))
      {
        kontor_mail_draft_unref (draft);
        return NULL;
      }
  return draft;
}

static void
replied_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ReplyJob *job = user_data;
  KontorMailComposers *self = job->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorMailDraft) draft =
    kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  KontorMailComposer *composer;

  if (draft == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      reply_job_free (job);
      return;
    }
  composer = new_composer (self);
  kontor_mail_probe_time_window (GTK_WINDOW (composer), job->edit ? "edit" : "reply", job->start);
  kontor_mail_composer_set_draft_path (composer, job->draft_path);
  kontor_mail_composer_set_draft (composer, draft);
  kontor_mail_composer_add_signature (composer);
  for (guint i = 0; i < job->files->len; i++)
    kontor_mail_composer_add_attachment (composer, g_ptr_array_index (job->files, i));
  if (job->edit)
    kontor_mail_composer_set_server_id (composer, job->message_id);
  if (draft->no_list_found)
    kontor_mail_composer_toast (composer, _ ("The message names no mailing list: this reply "
                                             "goes to the sender"));
  gtk_window_present (GTK_WINDOW (composer));
  reply_job_free (job);
}

/* The job is the callback's (the engine runs it with no destroy function). */
static void
start_job (KontorMailComposers *self,
           const char *message_id,
           KontorMailReplyMode mode,
           gboolean edit)
{
  ReplyJob *job = g_new0 (ReplyJob, 1);
  g_autofree char *dir = kontor_mail_composer_dup_drafts_dir ();
  g_autofree char *uuid = g_uuid_string_random ();

  job->self = g_object_ref (self);
  job->message_id = g_strdup (message_id);
  job->mode = mode;
  job->edit = edit;
  job->start = g_get_monotonic_time ();
  job->senders = dup_senders (self);
  job->draft_path = g_build_filename (dir, uuid, NULL);
  job->files = g_ptr_array_new_with_free_func (g_free);
  kontor_mail_engine_run_async (self->engine, reply_job, job, NULL,
                                (GDestroyNotify) kontor_mail_draft_unref, self->cancellable,
                                replied_cb, job);
}

void
kontor_mail_composers_reply (KontorMailComposers *self,
                             const char *message_id,
                             KontorMailReplyMode mode)
{
  g_return_if_fail (KONTOR_IS_MAIL_COMPOSERS (self));
  start_job (self, message_id, mode, FALSE);
}

/* A message of a Drafts folder, in a composer that replaces it there when it saves and
 * deletes it when the message is sent; the composer already editing it if there is one. */
void
kontor_mail_composers_edit_draft (KontorMailComposers *self, const char *message_id)
{
  GApplication *application = g_application_get_default ();

  g_return_if_fail (KONTOR_IS_MAIL_COMPOSERS (self));
  for (GList *l = GTK_IS_APPLICATION (application)
                    ? gtk_application_get_windows (GTK_APPLICATION (application))
                    : NULL;
       l != NULL; l = l->next)
    if (KONTOR_IS_MAIL_COMPOSER (l->data) &&
        g_strcmp0 (kontor_mail_composer_get_server_id (l->data), message_id) == 0)
      {
        gtk_window_present (l->data);
        return;
      }
  start_job (self, message_id, KONTOR_MAIL_REPLY_MODE_REPLY, TRUE);
}

/* Drafts left by a crash ----------------------------------------------------------------- */

static void
listed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailComposers) self = user_data;
  g_autoptr (GPtrArray) drafts = kontor_mail_composer_list_drafts_finish (result, NULL);
  g_autofree char *text = NULL;

  if (drafts == NULL || drafts->len == 0 || g_cancellable_is_cancelled (self->cancellable))
    return;
  for (guint i = 0; i < drafts->len; i++)
    {
      GKeyFile *file = g_ptr_array_index (drafts, i);
      g_autofree char *path = g_key_file_get_string (file, "File", "path", NULL);
      KontorMailComposer *composer = new_composer (self);

      kontor_mail_composer_restore (composer, path, file);
      gtk_window_present (GTK_WINDOW (composer));
    }
  text = g_strdup_printf (
    ngettext ("%u unsent message was restored", "%u unsent messages were restored", drafts->len),
    drafts->len);
  toast (self, text);
}

static void
engine_ready_cb (KontorMailEngine *engine, GParamSpec *pspec, KontorMailComposers *self)
{
  if (!kontor_mail_engine_get_ready (engine))
    return;
  g_signal_handlers_disconnect_by_func (engine, engine_ready_cb, self);
  kontor_mail_composer_list_drafts_async (self->cancellable, listed_cb, g_object_ref (self));
}

/* Once the engine read the accounts, so that each draft gets its From back. */
void
kontor_mail_composers_restore (KontorMailComposers *self)
{
  g_return_if_fail (KONTOR_IS_MAIL_COMPOSERS (self));
  if (kontor_mail_engine_get_ready (self->engine))
    engine_ready_cb (self->engine, NULL, self);
  else
    g_signal_connect_object (self->engine, "notify::ready", G_CALLBACK (engine_ready_cb), self, 0);
}

/* The type ----------------------------------------------------------------------------- */

void
kontor_mail_composers_set_page (KontorMailComposers *self, KontorMailPage *page)
{
  g_autofree char *pending = NULL;

  g_return_if_fail (KONTOR_IS_MAIL_COMPOSERS (self));
  g_set_weak_pointer (&self->page, page);
  pending = g_steal_pointer (&self->pending_toast);
  if (pending != NULL && page != NULL)
    toast (self, pending);
}

static void
kontor_mail_composers_dispose (GObject *object)
{
  KontorMailComposers *self = KONTOR_MAIL_COMPOSERS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->page);
  g_clear_object (&self->completion);
  g_clear_object (&self->accounts);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (kontor_mail_composers_parent_class)->dispose (object);
}

static void
kontor_mail_composers_finalize (GObject *object)
{
  KontorMailComposers *self = KONTOR_MAIL_COMPOSERS (object);

  g_clear_object (&self->cancellable);
  g_free (self->pending_toast);

  G_OBJECT_CLASS (kontor_mail_composers_parent_class)->finalize (object);
}

static void
kontor_mail_composers_class_init (KontorMailComposersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_mail_composers_dispose;
  object_class->finalize = kontor_mail_composers_finalize;
}

static void
kontor_mail_composers_init (KontorMailComposers *self)
{
  self->cancellable = g_cancellable_new ();
}

KontorMailComposers *
kontor_mail_composers_new (KontorMailEngine *engine, KontorAccountService *accounts)
{
  KontorMailComposers *self = g_object_new (KONTOR_TYPE_MAIL_COMPOSERS, NULL);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "kontor", NULL);

  self->engine = g_object_ref (engine);
  self->accounts = accounts != NULL ? g_object_ref (accounts) : NULL;
  self->completion = kontor_address_completion_new (accounts, data_dir);
  g_signal_connect_object (engine, "notify::ready", G_CALLBACK (senders_ready_cb), self, 0);
  return self;
}
