/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-account.c: one account's IMAP store. It starts offline from the local
 * copy, so folders and messages show at once; a sync then connects, replays the moves
 * made offline, refreshes the folder list, fetches the Inbox's headers first and the
 * other folders' after, pushes flag changes, and finally downloads bodies for offline
 * reading. Camel does the protocol (IDLE, CONDSTORE/QRESYNC, the summary database). */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-error.h"
#include "kontor-mail-account-private.h"

G_DEFINE_FINAL_TYPE (KontorMailAccount, kontor_mail_account, G_TYPE_OBJECT)

enum
{
  MESSAGES_ADDED,
  FOLDERS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
kontor_mail_account_dispose (GObject *object)
{
  KontorMailAccount *self = KONTOR_MAIL_ACCOUNT (object);

  if (self->opened != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->opened);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_signal_handlers_disconnect_by_data (value, self);
      g_hash_table_remove_all (self->opened);
    }
  if (self->store != NULL && self->session != NULL)
    camel_session_remove_service (self->session, CAMEL_SERVICE (self->store));
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_mail_account_parent_class)->dispose (object);
}

static void
kontor_mail_account_finalize (GObject *object)
{
  KontorMailAccount *self = KONTOR_MAIL_ACCOUNT (object);

  g_free (self->id);
  g_free (self->email);
  g_free (self->last_error);
  g_strfreev (self->folder_names);
  for (guint i = 0; i < G_N_ELEMENTS (self->role_names); i++)
    g_free (self->role_names[i]);
  g_clear_object (&self->root);
  g_clear_pointer (&self->folders, g_hash_table_unref);
  g_clear_pointer (&self->opened, g_hash_table_unref);
  g_clear_pointer (&self->primed, g_hash_table_unref);
  g_clear_pointer (&self->journal, kontor_mail_journal_free);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->sync_lock);

  G_OBJECT_CLASS (kontor_mail_account_parent_class)->finalize (object);
}

static void
kontor_mail_account_class_init (KontorMailAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_mail_account_dispose;
  object_class->finalize = kontor_mail_account_finalize;

  /* New messages in a folder that was synced before (not the first download). */
  signals[MESSAGES_ADDED] =
    g_signal_new ("messages-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
  signals[FOLDERS_CHANGED] = g_signal_new ("folders-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kontor_mail_account_init (KontorMailAccount *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->sync_lock);
  self->folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->opened = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->primed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->body_days = 30;
  self->network_allowed = TRUE;
}

/* Errors --------------------------------------------------------------------- */

void
kontor_mail_error_from_camel (GError **error)
{
  GError *e;
  KontorError code = KONTOR_ERROR_FAILED;

  if (error == NULL || *error == NULL || (*error)->domain == KONTOR_ERROR)
    return;
  e = *error;
  if (g_error_matches (e, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE))
    code = KONTOR_ERROR_AUTH_FAILED;
  else if (g_error_matches (e, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_UNAVAILABLE) ||
           g_error_matches (e, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
           g_error_matches (e, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (e, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    code = KONTOR_ERROR_OFFLINE;
  else if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    code = KONTOR_ERROR_CONNECTION_REFUSED;
  else if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = KONTOR_ERROR_TIMEOUT;
  else if (e->domain == G_RESOLVER_ERROR)
    code = KONTOR_ERROR_HOST_NOT_FOUND;
  else if (e->domain == G_TLS_ERROR ||
           g_error_matches (e, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_NOT_CONNECTED))
    code = e->domain == G_TLS_ERROR ? KONTOR_ERROR_CERTIFICATE_UNTRUSTED : KONTOR_ERROR_OFFLINE;
  else if (g_error_matches (e, CAMEL_FOLDER_ERROR, CAMEL_FOLDER_ERROR_INVALID_UID) ||
           g_error_matches (e, CAMEL_STORE_ERROR, CAMEL_STORE_ERROR_NO_FOLDER))
    code = KONTOR_ERROR_NOT_FOUND;
  e->domain = KONTOR_ERROR;
  e->code = code;
}

/* Set-up --------------------------------------------------------------------- */

static CamelNetworkSecurityMethod
security_method (KontorSecurity security)
{
  switch (security)
    {
      case KONTOR_SECURITY_STARTTLS:
        return CAMEL_NETWORK_SECURITY_METHOD_STARTTLS_ON_STANDARD_PORT;
      case KONTOR_SECURITY_NONE:
        return CAMEL_NETWORK_SECURITY_METHOD_NONE;
      case KONTOR_SECURITY_TLS:
      default:
        return CAMEL_NETWORK_SECURITY_METHOD_SSL_ON_ALTERNATE_PORT;
    }
}

static void
apply_settings (KontorMailAccount *self, KontorAccount *account)
{
  const KontorAccountSettings *settings = kontor_account_get_settings (account);
  g_autoptr (CamelSettings) camel_settings =
    camel_service_ref_settings (CAMEL_SERVICE (self->store));
  CamelNetworkSettings *network = CAMEL_NETWORK_SETTINGS (camel_settings);

  camel_network_settings_set_host (network, settings->imap_host);
  camel_network_settings_set_port (network, settings->imap_port);
  camel_network_settings_set_user (network, kontor_account_settings_get_login (settings));
  camel_network_settings_set_security_method (network, security_method (settings->imap_security));
  /* New mail is pushed (IDLE) and resyncs are quick (QRESYNC); every folder is checked,
   * not just the Inbox; nothing is filtered or hidden behind Camel's back. */
  g_object_set (camel_settings, "use-idle", TRUE, "use-qresync", TRUE, "check-all", TRUE,
                "check-subscribed", TRUE, "filter-inbox", FALSE, "filter-junk", FALSE,
                "use-real-junk-path", FALSE, "use-real-trash-path", FALSE, NULL);
  g_free (self->email);
  self->email = g_strdup (settings->email);
  camel_service_set_display_name (CAMEL_SERVICE (self->store),
                                  kontor_account_get_display_name (account));
}

KontorMailAccount *
kontor_mail_account_new (CamelSession *session,
                         KontorAccount *account,
                         const char *data_dir,
                         KontorMailPasswordFunc password_func,
                         gpointer password_data,
                         GError **error)
{
  g_autoptr (KontorMailAccount) self = g_object_new (KONTOR_TYPE_MAIL_ACCOUNT, NULL);
  g_autofree char *journal_path = NULL;
  CamelService *service;

  self->session = session;
  self->password_func = password_func;
  self->password_data = password_data;
  self->id = g_strdup (kontor_account_get_id (account));

  service = camel_session_ref_service (session, self->id);
  if (service == NULL)
    {
      gboolean session_online = camel_session_get_online (session);

      /* A new store takes the session's state as its own "online", and Camel counts it
       * online as soon as the host looks reachable: reading the cached folder list would
       * then sign in (without a password yet, or while the user works offline). Made
       * offline instead, a store only goes online when the account connects. */
      camel_session_set_online (session, FALSE);
      service = camel_session_add_service (session, self->id, "imapx", CAMEL_PROVIDER_STORE, error);
      camel_session_set_online (session, session_online);
    }
  if (service == NULL)
    {
      kontor_mail_error_from_camel (error);
      return NULL;
    }
  self->store = CAMEL_STORE (service);
  /* No Camel-made "Junk"/"Trash" search folders: the server's own folders are used. */
  camel_store_set_flags (self->store, camel_store_get_flags (self->store) &
                                        ~(CAMEL_STORE_VTRASH | CAMEL_STORE_VJUNK));
  apply_settings (self, account);

  self->root = kontor_mail_folder_new (KONTOR_MAIL_FOLDER_KIND_ACCOUNT, self->id, NULL,
                                       kontor_account_get_display_name (account));
  journal_path = g_build_filename (data_dir, self->id, "offline-moves", NULL);
  self->journal = kontor_mail_journal_new (journal_path);
  return g_steal_pointer (&self);
}

void
kontor_mail_account_update (KontorMailAccount *self, KontorAccount *account)
{
  g_return_if_fail (KONTOR_IS_MAIL_ACCOUNT (self));
  apply_settings (self, account);
  kontor_mail_folder_set_name (self->root, kontor_account_get_display_name (account));
}

const char *
kontor_mail_account_get_id (KontorMailAccount *self)
{
  return self->id;
}

const char *
kontor_mail_account_get_email (KontorMailAccount *self)
{
  return self->email;
}

KontorMailFolder *
kontor_mail_account_get_root (KontorMailAccount *self)
{
  return self->root;
}

CamelStore *
kontor_mail_account_get_store (KontorMailAccount *self)
{
  return self->store;
}

KontorMailFolder *
kontor_mail_account_lookup_folder (KontorMailAccount *self, const char *full_name)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_ACCOUNT (self), NULL);
  return full_name != NULL ? g_hash_table_lookup (self->folders, full_name) : NULL;
}

KontorMailFolder *
kontor_mail_account_find_role (KontorMailAccount *self, KontorMailRole role)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->folders);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (kontor_mail_folder_get_role (value) == role)
      return value;
  return NULL;
}

gboolean
kontor_mail_account_get_online (KontorMailAccount *self)
{
  return g_atomic_int_get (&self->network_allowed) &&
         camel_offline_store_get_online (CAMEL_OFFLINE_STORE (self->store));
}

const char *
kontor_mail_account_get_last_error (KontorMailAccount *self)
{
  return self->last_error;
}

/* Nothing reaches the server while this is FALSE, whatever state Camel's store is in
 * at that moment (going offline takes a while). */
void
kontor_mail_account_set_network_allowed (KontorMailAccount *self, gboolean allowed)
{
  g_atomic_int_set (&self->network_allowed, !!allowed);
}

void
kontor_mail_account_set_body_days (KontorMailAccount *self, int days)
{
  self->body_days = days;
}

/* Which pending moves hide which messages from their source folder's list. */
void
kontor_mail_account_add_hidden (KontorMailAccount *self, GHashTable *message_ids)
{
  g_autoptr (GPtrArray) entries = kontor_mail_journal_dup_entries (self->journal);

  for (guint i = 0; i < entries->len; i++)
    {
      KontorMailJournalEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *folder_id = kontor_mail_folder_id_build (self->id, entry->source);

      g_hash_table_add (message_ids, kontor_mail_message_id_build (folder_id, entry->uid));
    }
}

void
kontor_mail_account_emit_messages_added (KontorMailAccount *self,
                                         const char *folder_id,
                                         const char *const *message_ids)
{
  g_signal_emit (self, signals[MESSAGES_ADDED], 0, folder_id, message_ids);
}

void
kontor_mail_account_emit_folders_changed (KontorMailAccount *self)
{
  g_signal_emit (self, signals[FOLDERS_CHANGED], 0);
}
