/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox-queue.c: adding, listing, cancelling and retrying outbox
 * entries (from any thread), and when to try them: one worker at a time goes through
 * the entries that are due, a timeout waits for the next one. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unistd.h>

#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kontor-error.h"
#include "kontor-mail-identities.h"
#include "kontor-mail-outbox-private.h"

/* Accounts ------------------------------------------------------------------------- */

static gboolean
can_send (KontorAccount *account)
{
  const char *const *services = kontor_account_get_services (account);

  return services != NULL && g_strv_contains (services, "mail") &&
         kontor_account_get_settings (account)->smtp_host != NULL;
}

static void
accounts_changed_cb (GListModel *model,
                     guint position,
                     guint removed,
                     guint added,
                     KontorMailOutbox *self)
{
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->accounts, 0);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (model, i);

      if (can_send (account))
        g_ptr_array_add (self->accounts, g_steal_pointer (&account));
    }
  /* New settings or a new password may be what a waiting message needed. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((KontorMailOutboxEntry *) value)->next_attempt = 0;
  g_mutex_unlock (&self->lock);
  kontor_mail_outbox_schedule_flush (self);
}

/* The account @from names (its id, its address or one of its aliases), or the first
 * one; under no lock. */
KontorAccount *
kontor_mail_outbox_ref_account (KontorMailOutbox *self, const char *from)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      KontorAccount *account = g_ptr_array_index (self->accounts, i);

      g_autoptr (KontorMailFrom) found = NULL;

      if (from == NULL || *from == '\0' ||
          (found = kontor_mail_identities_find (account, from)) != NULL)
        return g_object_ref (account);
    }
  return NULL;
}

/* Set-up --------------------------------------------------------------------------- */

KontorMailOutbox *
kontor_mail_outbox_new (KontorMailEngine *engine,
                        KontorAccountService *accounts,
                        CamelSession *session,
                        const char *dir)
{
  KontorMailOutbox *self = g_object_new (KONTOR_TYPE_MAIL_OUTBOX, NULL);

  self->engine = engine;
  self->accounts_model = g_object_ref (accounts);
  self->session = g_object_ref (session);
  self->dir = g_strdup (dir);
  self->context = g_main_context_ref_thread_default ();
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_warning ("The outbox folder %s cannot be made: %s", dir, g_strerror (errno));
  kontor_mail_outbox_load (self);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), self);
  g_signal_connect_swapped (engine, "notify::ready", G_CALLBACK (kontor_mail_outbox_schedule_flush),
                            self);
  accounts_changed_cb (G_LIST_MODEL (accounts), 0, 0, 0, self);
  return self;
}

void
kontor_mail_outbox_shutdown (KontorMailOutbox *self)
{
  g_return_if_fail (KONTOR_IS_MAIL_OUTBOX (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
}

void
kontor_mail_outbox_set_online (KontorMailOutbox *self, gboolean online)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (KONTOR_IS_MAIL_OUTBOX (self));
  if (self->online == !!online)
    return;
  self->online = !!online;
  if (!online)
    return;
  /* Back online: what waits for a temporary failure goes now. */
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((KontorMailOutboxEntry *) value)->next_attempt = 0;
  g_mutex_unlock (&self->lock);
  kontor_mail_outbox_schedule_flush (self);
}

/* Queued or being sent: what still has to reach a server. */
guint
kontor_mail_outbox_get_n_pending (KontorMailOutbox *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((KontorMailOutboxEntry *) value)->state != KONTOR_MAIL_OUTBOX_FAILED)
      n++;
  return n;
}

/* Entries -------------------------------------------------------------------------- */

/* Replaces the entry of the same id in memory (if it is still there). */
void
kontor_mail_outbox_update (KontorMailOutbox *self, const KontorMailOutboxEntry *entry)
{
  KontorMailOutboxEntry *copy = kontor_mail_outbox_entry_copy (entry);

  g_mutex_lock (&self->lock);
  if (g_hash_table_contains (self->entries, entry->id))
    g_hash_table_replace (self->entries, copy->id, copy);
  else
    kontor_mail_outbox_entry_free (copy);
  g_mutex_unlock (&self->lock);
  kontor_mail_outbox_emit_changed (self);
}

void
kontor_mail_outbox_remove (KontorMailOutbox *self, const char *id)
{
  g_autofree char *state = kontor_mail_outbox_path (self, id, ".state");
  g_autofree char *eml = kontor_mail_outbox_path (self, id, ".eml");

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->entries, id);
  g_mutex_unlock (&self->lock);
  /* The state first: a message without one is a leftover, removed at start-up. */
  g_unlink (state);
  g_unlink (eml);
  kontor_mail_outbox_emit_changed (self);
}

static char *
format_recipients (CamelMimeMessage *message)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const char *types[] = { CAMEL_RECIPIENT_TYPE_TO, CAMEL_RECIPIENT_TYPE_CC };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      CamelInternetAddress *addresses = camel_mime_message_get_recipients (message, types[i]);
      g_autofree char *formatted =
        addresses ? camel_address_format (CAMEL_ADDRESS (addresses)) : NULL;

      if (formatted != NULL && *formatted != '\0')
        g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "", formatted);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* glibc keeps freed memory of big allocations for reuse; a message with a 20 MB
 * attachment would keep the process 20-50 MB bigger after it was stored or sent. */
void
kontor_mail_outbox_trim_memory (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

/* Writes @message to @path and syncs it to the disk. */
static gboolean
write_message (CamelMimeMessage *message,
               const char *path,
               GCancellable *cancellable,
               GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileOutputStream) out =
    g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                    cancellable, error);

  if (out == NULL || camel_data_wrapper_write_to_output_stream_sync (
                       CAMEL_DATA_WRAPPER (message), G_OUTPUT_STREAM (out), cancellable, error) < 0)
    return FALSE;
  if (fsync (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (out))) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

/**
 * kontor_mail_outbox_queue_sync:
 *
 * Builds the message and stores it durably in the outbox; sending starts later.
 *
 * Returns: (transfer full): the entry's id, or %NULL with a KontorError
 */
char *
kontor_mail_outbox_queue_sync (KontorMailOutbox *self,
                               const KontorMailComposeFields *fields,
                               GCancellable *cancellable,
                               GError **error)
{
  return kontor_mail_outbox_queue_held_sync (self, fields, 0, cancellable, error);
}

/**
 * kontor_mail_outbox_queue_held_sync:
 * @delay: seconds during which the message may still be taken back (undo-send)
 *
 * Like kontor_mail_outbox_queue_sync(), but no attempt starts before @delay seconds
 * passed, even across a restart.
 *
 * Returns: (transfer full): the entry's id, or %NULL with a KontorError
 */
char *
kontor_mail_outbox_queue_held_sync (KontorMailOutbox *self,
                                    const KontorMailComposeFields *fields,
                                    guint delay,
                                    GCancellable *cancellable,
                                    GError **error)
{
  g_autoptr (KontorAccount) account = kontor_mail_outbox_ref_account (self, fields->from);
  g_autoptr (CamelInternetAddress) recipients = NULL;
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (KontorMailOutboxEntry) entry = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *eml = NULL;
  g_autoptr (KontorMailFrom) from = NULL;
  g_autofree char *signed_body = NULL;
  KontorMailComposeFields signed_fields;
  KontorMailSender sender;
  GPtrArray *envelope;
  KontorMailOutboxEntry *copy;

  g_return_val_if_fail (KONTOR_IS_MAIL_OUTBOX (self), NULL);

  if (account == NULL)
    {
      if (fields->from != NULL && *fields->from != '\0')
        g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                     _ ("No mail account sends as “%s”"), fields->from);
      else
        g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                     _ ("No mail account can send mail: add one, with an outgoing server"));
      return NULL;
    }
  from = kontor_mail_identities_find (account, fields->from);
  if (from == NULL)
    from = kontor_mail_identities_find (account, kontor_account_get_id (account));
  if (from == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                   _ ("The account “%s” has no e-mail address to send from"),
                   kontor_account_get_display_name (account));
      return NULL;
    }
  sender.address = from->address;
  sender.name = from->name;
  if (fields->signature)
    {
      /* A shallow copy: only the text differs. */
      g_autofree char *signature = kontor_mail_identities_dup_signature (account, from->address);

      signed_fields = *fields;
      signed_fields.body = signed_body = kontor_mail_signature_append (fields->body, signature);
      fields = &signed_fields;
    }
  message = kontor_mail_compose_build (fields, &sender, &recipients, cancellable, error);
  if (message == NULL)
    return NULL;

  entry = g_new0 (KontorMailOutboxEntry, 1);
  /* Short enough to type: 48 random bits. */
  entry->id = g_strdup_printf ("%.8s%.4s", uuid, uuid + 9);
  entry->account_id = g_strdup (kontor_account_get_id (account));
  entry->from = g_strdup (from->address);
  envelope = g_ptr_array_new ();
  for (int i = 0; i < camel_address_length (CAMEL_ADDRESS (recipients)); i++)
    {
      const char *address = NULL;

      camel_internet_address_get (recipients, i, NULL, &address);
      g_ptr_array_add (envelope, g_strdup (address));
    }
  g_ptr_array_add (envelope, NULL);
  entry->recipients = (GStrv) g_ptr_array_free (envelope, FALSE);
  entry->to = format_recipients (message);
  entry->subject = g_strdup (camel_mime_message_get_subject (message));
  entry->message_id = g_strdup_printf ("<%s>", camel_mime_message_get_message_id (message));
  entry->created = g_get_real_time () / G_USEC_PER_SEC;
  /* Rounded up: never sooner than @delay whole seconds. */
  if (delay > 0)
    entry->send_after =
      (g_get_real_time () + (gint64) delay * G_USEC_PER_SEC + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  /* Written straight to the file, not through memory: a message with a big attachment
   * is held once. A file without its state file is a leftover, removed at start-up. */
  eml = kontor_mail_outbox_path (self, entry->id, ".eml");
  if (!write_message (message, eml, cancellable, error) ||
      !kontor_mail_outbox_save_entry (self, entry, error))
    {
      g_unlink (eml);
      g_prefix_error (error, _ ("The message cannot be stored in the Outbox: "));
      if ((*error)->domain != KONTOR_ERROR)
        {
          (*error)->domain = KONTOR_ERROR;
          (*error)->code = KONTOR_ERROR_FAILED;
        }
      return NULL;
    }

  /* A big attachment's memory goes back to the system before sending reads the file. */
  g_clear_object (&message);
  kontor_mail_outbox_trim_memory ();

  copy = kontor_mail_outbox_entry_copy (entry);
  g_mutex_lock (&self->lock);
  /* The table's key is its own entry's id: this entry goes away below. */
  g_hash_table_replace (self->entries, copy->id, copy);
  g_mutex_unlock (&self->lock);
  kontor_mail_outbox_emit_changed (self);
  kontor_mail_outbox_schedule_flush (self);
  return g_strdup (entry->id);
}

static int
compare_created (gconstpointer a, gconstpointer b)
{
  const KontorMailOutboxEntry *x = *(KontorMailOutboxEntry **) a;
  const KontorMailOutboxEntry *y = *(KontorMailOutboxEntry **) b;

  return x->created != y->created ? (x->created < y->created ? -1 : 1) : g_strcmp0 (x->id, y->id);
}

/* aa{sv}, oldest first: id, account-id, from, to, subject, message-id, state, error,
 * attempts, next-attempt (x, 0 when none is planned), created (x), send-after (x, 0
 * when not held), recipients (as, the envelope: To, Cc and Bcc). */
GVariant *
kontor_mail_outbox_list (KontorMailOutbox *self)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new ();
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (entries, value);
  g_ptr_array_sort (entries, compare_created);
  for (guint i = 0; i < entries->len; i++)
    {
      KontorMailOutboxEntry *entry = g_ptr_array_index (entries, i);
      gboolean waits =
        entry->state == KONTOR_MAIL_OUTBOX_QUEUED || entry->state == KONTOR_MAIL_OUTBOX_SENT;
      GVariantDict dict;

      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert (&dict, "id", "s", entry->id);
      g_variant_dict_insert (&dict, "account-id", "s", entry->account_id);
      g_variant_dict_insert (&dict, "from", "s", entry->from);
      g_variant_dict_insert (&dict, "to", "s", entry->to ? entry->to : "");
      g_variant_dict_insert (&dict, "subject", "s", entry->subject ? entry->subject : "");
      g_variant_dict_insert (&dict, "message-id", "s", entry->message_id ? entry->message_id : "");
      g_variant_dict_insert (&dict, "state", "s",
                             kontor_mail_outbox_state_to_string (entry->state));
      g_variant_dict_insert (&dict, "error", "s", entry->error ? entry->error : "");
      g_variant_dict_insert (&dict, "attempts", "u", entry->attempts);
      g_variant_dict_insert (&dict, "next-attempt", "x", waits ? entry->next_attempt : 0);
      g_variant_dict_insert (&dict, "created", "x", entry->created);
      g_variant_dict_insert (&dict, "send-after", "x", waits ? entry->send_after : 0);
      g_variant_dict_insert_value (
        &dict, "recipients", g_variant_new_strv ((const char *const *) entry->recipients, -1));
      g_variant_builder_add_value (&builder, g_variant_dict_end (&dict));
    }
  g_mutex_unlock (&self->lock);
  return g_variant_builder_end (&builder);
}

/* Takes the entry @id out of the queue unless it is being sent right now. */
static gboolean
detach (KontorMailOutbox *self, const char *id, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  KontorMailOutboxEntry *entry = g_hash_table_lookup (self->entries, id);

  if (entry == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                   _ ("The Outbox has no message “%s”"), id);
      return FALSE;
    }
  if (entry->state == KONTOR_MAIL_OUTBOX_SENDING)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                   _ ("The message is being sent right now"));
      return FALSE;
    }
  g_hash_table_remove (self->entries, id);
  return TRUE;
}

gboolean
kontor_mail_outbox_cancel_sync (KontorMailOutbox *self, const char *id, GError **error)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_OUTBOX (self), FALSE);
  if (!detach (self, id, error))
    return FALSE;
  kontor_mail_outbox_remove (self, id);
  return TRUE;
}

/**
 * kontor_mail_outbox_take_sync:
 *
 * Editing a waiting message: it leaves the queue and its content is given back.
 *
 * Returns: (transfer full): the message as it was queued
 */
CamelMimeMessage *
kontor_mail_outbox_take_sync (KontorMailOutbox *self,
                              const char *id,
                              GCancellable *cancellable,
                              GError **error)
{
  g_autoptr (CamelMimeMessage) message = NULL;

  g_return_val_if_fail (KONTOR_IS_MAIL_OUTBOX (self), NULL);
  message = kontor_mail_outbox_load_message (self, id, cancellable, error);
  if (message == NULL || !detach (self, id, error))
    return NULL;
  kontor_mail_outbox_remove (self, id);
  return g_steal_pointer (&message);
}

gboolean
kontor_mail_outbox_retry_sync (KontorMailOutbox *self, const char *id, GError **error)
{
  g_autoptr (KontorMailOutboxEntry) copy = NULL;
  KontorMailOutboxEntry *entry;

  g_return_val_if_fail (KONTOR_IS_MAIL_OUTBOX (self), FALSE);
  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->entries, id);
  if (entry != NULL && entry->state != KONTOR_MAIL_OUTBOX_SENDING)
    {
      if (entry->state == KONTOR_MAIL_OUTBOX_FAILED)
        entry->state = KONTOR_MAIL_OUTBOX_QUEUED;
      entry->next_attempt = 0;
      entry->send_after = 0; /* "Send Now" ends the time to undo */
      copy = kontor_mail_outbox_entry_copy (entry);
    }
  g_mutex_unlock (&self->lock);
  if (entry == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                   _ ("The Outbox has no message “%s”"), id);
      return FALSE;
    }
  if (copy != NULL && !kontor_mail_outbox_save_entry (self, copy, NULL))
    g_warning ("The outbox entry %s could not be updated on disk", id);
  kontor_mail_outbox_emit_changed (self);
  kontor_mail_outbox_schedule_flush (self);
  return TRUE;
}

/* Sending ----------------------------------------------------------------------- */

static void flush (KontorMailOutbox *self);

static void
flush_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GPtrArray *ids = data;

  for (guint i = 0; i < ids->len && !g_cancellable_is_cancelled (cancellable); i++)
    kontor_mail_outbox_send_entry (source, g_ptr_array_index (ids, i), cancellable);
  g_task_return_boolean (task, TRUE);
}

static void
flush_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorMailOutbox *self = KONTOR_MAIL_OUTBOX (object);

  self->flushing = FALSE;
  if (!g_cancellable_is_cancelled (self->cancellable))
    flush (self);
}

static gboolean
timeout_cb (gpointer data)
{
  KontorMailOutbox *self = data;

  self->timeout_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

/* On the main context: starts a worker for the entries that are due, or waits for
 * the next one. */
static void
flush (KontorMailOutbox *self)
{
  g_autoptr (GPtrArray) due = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, next = G_MAXINT64;
  GHashTableIter iter;
  gpointer value;

  /* Not before the engine knows the accounts: a message's account would seem gone. */
  if (self->flushing || !self->online || g_cancellable_is_cancelled (self->cancellable) ||
      !kontor_mail_engine_get_ready (self->engine))
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      KontorMailOutboxEntry *entry = value;

      gint64 when;

      if (entry->state != KONTOR_MAIL_OUTBOX_QUEUED && entry->state != KONTOR_MAIL_OUTBOX_SENT)
        continue;
      /* A held entry waits for its hold whatever brought the next attempt forward. */
      when = entry->state == KONTOR_MAIL_OUTBOX_QUEUED
               ? MAX (entry->next_attempt, entry->send_after)
               : entry->next_attempt;
      if (when <= now)
        g_ptr_array_add (due, g_strdup (entry->id));
      else
        next = MIN (next, when);
    }
  g_mutex_unlock (&self->lock);

  if (due->len > 0)
    {
      g_autoptr (GTask) task = g_task_new (self, self->cancellable, flush_done_cb, NULL);

      self->flushing = TRUE;
      g_task_set_source_tag (task, flush);
      g_task_set_task_data (task, g_steal_pointer (&due), (GDestroyNotify) g_ptr_array_unref);
      g_task_run_in_thread (task, flush_thread);
    }
  else if (next != G_MAXINT64)
    self->timeout_id =
      g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) (next - now), timeout_cb, self, NULL);
}

static gboolean
flush_cb (gpointer data)
{
  flush (data);
  return G_SOURCE_REMOVE;
}

/* From any thread. */
void
kontor_mail_outbox_schedule_flush (KontorMailOutbox *self)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, flush_cb, g_object_ref (self), g_object_unref);
  g_source_attach (source, self->context);
  g_source_unref (source);
}
