/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox.c: the queue of messages to send. Each message is two files in
 * the outbox folder: ID.eml, the message as it will be sent, and ID.state, a key file
 * with its account, envelope, state, last error, attempts and next attempt. Both are
 * written to a temporary file, synced and renamed, the message first: a state file
 * means a complete entry. Queueing returns once both are on disk.
 *
 * Sending never happens twice: the state becomes "sending" on disk before the server
 * is asked and "sent" as soon as it accepted, before the copy goes to Sent; the entry
 * is removed once the copy is stored. An entry found "sending" at start-up may or may
 * not have reached the server (Kontor stopped in between): it becomes "failed" with a
 * reason saying so, and is only sent again when the user retries it. One found "sent"
 * only needs its copy in Sent, which is looked for there before it is added.
 *
 * Temporary failures (no connection, a dropped one, a 4xx answer) wait 30 s, 1, 2, 5,
 * 10 and then 30 min between attempts, and go at once when the engine goes online or
 * an account changes; permanent ones (refused password or certificate, a 5xx answer)
 * stay "failed" until retried. Nothing is tried while working offline.
 *
 * An entry may be held until a time ("send-after", for undo-send): it is stored at
 * once and survives a restart, but no attempt starts before then; Send Now lifts it. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "kontor-error.h"
#include "kontor-mail-message-file.h"
#include "kontor-mail-outbox-private.h"

G_DEFINE_FINAL_TYPE (KontorMailOutbox, kontor_mail_outbox, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define GROUP "Outbox Entry"

static const char *const state_names[] = { "queued", "sending", "failed", "sent" };

const char *
kontor_mail_outbox_state_to_string (KontorMailOutboxState state)
{
  return (guint) state < G_N_ELEMENTS (state_names) ? state_names[state] : "failed";
}

void
kontor_mail_outbox_entry_free (KontorMailOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->account_id);
  g_free (entry->from);
  g_strfreev (entry->recipients);
  g_free (entry->to);
  g_free (entry->subject);
  g_free (entry->message_id);
  g_free (entry->error);
  g_free (entry);
}

KontorMailOutboxEntry *
kontor_mail_outbox_entry_copy (const KontorMailOutboxEntry *entry)
{
  KontorMailOutboxEntry *copy = g_memdup2 (entry, sizeof *entry);

  copy->id = g_strdup (entry->id);
  copy->account_id = g_strdup (entry->account_id);
  copy->from = g_strdup (entry->from);
  copy->recipients = g_strdupv (entry->recipients);
  copy->to = g_strdup (entry->to);
  copy->subject = g_strdup (entry->subject);
  copy->message_id = g_strdup (entry->message_id);
  copy->error = g_strdup (entry->error);
  return copy;
}

static void
kontor_mail_outbox_dispose (GObject *object)
{
  KontorMailOutbox *self = KONTOR_MAIL_OUTBOX (object);

  kontor_mail_outbox_shutdown (self);
  if (self->accounts_model != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts_model, self);
  g_clear_object (&self->accounts_model);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kontor_mail_outbox_parent_class)->dispose (object);
}

static void
kontor_mail_outbox_finalize (GObject *object)
{
  KontorMailOutbox *self = KONTOR_MAIL_OUTBOX (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  g_free (self->dir);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (kontor_mail_outbox_parent_class)->finalize (object);
}

static void
kontor_mail_outbox_class_init (KontorMailOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_mail_outbox_dispose;
  object_class->finalize = kontor_mail_outbox_finalize;

  /* An entry was added, changed state or went; on the outbox's main context. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
kontor_mail_outbox_init (KontorMailOutbox *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) kontor_mail_outbox_entry_free);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/* Disk ----------------------------------------------------------------------------- */

char *
kontor_mail_outbox_path (KontorMailOutbox *self, const char *id, const char *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);

  return g_build_filename (self->dir, name, NULL);
}

/* A rename is durable once the folder holding it is synced too. */
static void
sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

static gboolean
write_durably (const char *path, const char *data, gsize length, GError **error)
{
  return g_file_set_contents_full (
    path, data, length, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error);
}

gboolean
kontor_mail_outbox_save_entry (KontorMailOutbox *self,
                               const KontorMailOutboxEntry *entry,
                               GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *path = kontor_mail_outbox_path (self, entry->id, ".state");
  g_autofree char *data = NULL;
  gsize length;

  g_key_file_set_string (file, GROUP, "id", entry->id);
  g_key_file_set_string (file, GROUP, "account", entry->account_id);
  g_key_file_set_string (file, GROUP, "from", entry->from);
  g_key_file_set_string_list (file, GROUP, "recipients", (const char *const *) entry->recipients,
                              g_strv_length (entry->recipients));
  g_key_file_set_string (file, GROUP, "to", entry->to ? entry->to : "");
  g_key_file_set_string (file, GROUP, "subject", entry->subject ? entry->subject : "");
  g_key_file_set_string (file, GROUP, "message-id", entry->message_id ? entry->message_id : "");
  g_key_file_set_string (file, GROUP, "state", kontor_mail_outbox_state_to_string (entry->state));
  g_key_file_set_string (file, GROUP, "error", entry->error ? entry->error : "");
  g_key_file_set_uint64 (file, GROUP, "attempts", entry->attempts);
  g_key_file_set_int64 (file, GROUP, "next-attempt", entry->next_attempt);
  g_key_file_set_int64 (file, GROUP, "created", entry->created);
  g_key_file_set_int64 (file, GROUP, "send-after", entry->send_after);
  data = g_key_file_to_data (file, &length, NULL);
  if (!write_durably (path, data, length, error))
    return FALSE;
  sync_dir (self->dir);
  return TRUE;
}

static KontorMailOutboxEntry *
load_entry (const char *path)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (KontorMailOutboxEntry) entry = g_new0 (KontorMailOutboxEntry, 1);
  g_autofree char *state = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  entry->id = g_key_file_get_string (file, GROUP, "id", NULL);
  entry->account_id = g_key_file_get_string (file, GROUP, "account", NULL);
  entry->from = g_key_file_get_string (file, GROUP, "from", NULL);
  entry->recipients = g_key_file_get_string_list (file, GROUP, "recipients", NULL, NULL);
  entry->to = g_key_file_get_string (file, GROUP, "to", NULL);
  entry->subject = g_key_file_get_string (file, GROUP, "subject", NULL);
  entry->message_id = g_key_file_get_string (file, GROUP, "message-id", NULL);
  entry->error = g_key_file_get_string (file, GROUP, "error", NULL);
  entry->attempts = g_key_file_get_uint64 (file, GROUP, "attempts", NULL);
  entry->next_attempt = g_key_file_get_int64 (file, GROUP, "next-attempt", NULL);
  entry->created = g_key_file_get_int64 (file, GROUP, "created", NULL);
  entry->send_after = g_key_file_get_int64 (file, GROUP, "send-after", NULL);
  state = g_key_file_get_string (file, GROUP, "state", NULL);
  if (entry->id == NULL || entry->account_id == NULL || entry->from == NULL ||
      entry->recipients == NULL || state == NULL)
    return NULL;
  entry->state = KONTOR_MAIL_OUTBOX_FAILED;
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (state, state_names[i]))
      entry->state = i;
  if (entry->error != NULL && *entry->error == '\0')
    g_clear_pointer (&entry->error, g_free);
  return g_steal_pointer (&entry);
}

/* Reads the folder; applies the start-up policy to entries caught mid-send. */
void
kontor_mail_outbox_load (KontorMailOutbox *self)
{
  g_autoptr (GDir) dir = g_dir_open (self->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->dir, name, NULL);
      g_autofree char *id = NULL;
      g_autofree char *eml = NULL;
      KontorMailOutboxEntry *entry;

      if (g_str_has_suffix (name, ".eml"))
        {
          g_autofree char *state = g_strndup (path, strlen (path) - 4);
          g_autofree char *state_path = g_strconcat (state, ".state", NULL);

          if (!g_file_test (state_path, G_FILE_TEST_EXISTS))
            g_unlink (path); /* queueing stopped before it returned an id */
          continue;
        }
      if (!g_str_has_suffix (name, ".state"))
        continue;
      id = g_strndup (name, strlen (name) - strlen (".state"));
      eml = kontor_mail_outbox_path (self, id, ".eml");
      if ((entry = load_entry (path)) == NULL || !g_str_equal (entry->id, id) ||
          !g_file_test (eml, G_FILE_TEST_EXISTS))
        {
          g_warning ("Dropping the unreadable outbox entry %s", path);
          kontor_mail_outbox_entry_free (entry);
          continue;
        }
      if (entry->state == KONTOR_MAIL_OUTBOX_SENDING)
        {
          entry->state = KONTOR_MAIL_OUTBOX_FAILED;
          g_free (entry->error);
          entry->error = g_strdup (
            _ ("Kontor stopped while this message was being sent, so it may have been sent "
               "already. Retry it only if the recipients did not get it."));
          kontor_mail_outbox_save_entry (self, entry, NULL);
        }
      entry->check_sent = entry->state == KONTOR_MAIL_OUTBOX_SENT;
      g_hash_table_replace (self->entries, entry->id, entry);
    }
}

CamelMimeMessage *
kontor_mail_outbox_load_message (KontorMailOutbox *self,
                                 const char *id,
                                 GCancellable *cancellable,
                                 GError **error)
{
  g_autofree char *path = kontor_mail_outbox_path (self, id, ".eml");

  /* Each part held once: a big attachment is not briefly held twice while sending. */
  return kontor_mail_message_load_file (path, error);
}

static gboolean
emit_changed_cb (gpointer data)
{
  g_signal_emit (data, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* From any thread: "changed" is emitted on the outbox's main context. */
void
kontor_mail_outbox_emit_changed (KontorMailOutbox *self)
{
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_changed_cb,
                              g_object_ref (self), g_object_unref);
}
