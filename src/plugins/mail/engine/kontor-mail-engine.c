/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-engine.c: follows the account service (a mail account appears, changes
 * or goes), the network and the "work offline" choice, and keeps one
 * KontorMailAccount per enabled mail account. The folder tree's roots are the
 * unified Inbox and one node per account. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-camel-session.h"
#include "kontor-error.h"
#include "kontor-mail-engine-private.h"

G_DEFINE_FINAL_TYPE (KontorMailEngine, kontor_mail_engine, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_WORK_OFFLINE,
  PROP_READY,
  N_PROPS
};

enum
{
  MESSAGES_ADDED,
  HIDDEN_CHANGED,
  INBOXES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define PERIODIC_SYNC_SECONDS (10 * 60)

static void
kontor_mail_engine_dispose (GObject *object)
{
  KontorMailEngine *self = KONTOR_MAIL_ENGINE (object);

  kontor_mail_engine_shutdown (self);
  if (self->accounts_model != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts_model, self);
  g_clear_object (&self->accounts_model);
  if (self->accounts != NULL)
    g_hash_table_remove_all (self->accounts);
  g_clear_object (&self->roots);
  g_clear_object (&self->unified);
  g_clear_object (&self->outbox);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kontor_mail_engine_parent_class)->dispose (object);
}

static void
kontor_mail_engine_finalize (GObject *object)
{
  KontorMailEngine *self = KONTOR_MAIL_ENGINE (object);

  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_free (self->data_dir);
  g_free (self->cache_dir);

  G_OBJECT_CLASS (kontor_mail_engine_parent_class)->finalize (object);
}

static void
kontor_mail_engine_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorMailEngine *self = KONTOR_MAIL_ENGINE (object);

  switch (prop_id)
    {
      case PROP_WORK_OFFLINE:
        g_value_set_boolean (value, self->work_offline);
        break;
      case PROP_READY:
        g_value_set_boolean (value, self->ready);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_engine_class_init (KontorMailEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_mail_engine_dispose;
  object_class->finalize = kontor_mail_engine_finalize;
  object_class->get_property = kontor_mail_engine_get_property;

  properties[PROP_WORK_OFFLINE] = g_param_spec_boolean ("work-offline", NULL, NULL, FALSE,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MESSAGES_ADDED] =
    g_signal_new ("messages-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
  /* An account's Inbox appeared or went: the unified Inbox is made of other folders. */
  signals[INBOXES_CHANGED] = g_signal_new ("inboxes-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[HIDDEN_CHANGED] = g_signal_new ("hidden-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kontor_mail_engine_init (KontorMailEngine *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->roots = g_list_store_new (KONTOR_TYPE_MAIL_FOLDER);
  self->unified =
    kontor_mail_folder_new (KONTOR_MAIL_FOLDER_KIND_UNIFIED, NULL, NULL, _ ("All Inboxes"));
  self->cancellable = g_cancellable_new ();
  self->body_days = 30;
}

KontorMailEngine *
kontor_mail_engine_new (KontorAccountService *accounts, const char *data_dir, const char *cache_dir)
{
  KontorMailEngine *self = g_object_new (KONTOR_TYPE_MAIL_ENGINE, NULL);

  self->accounts_model = g_object_ref (accounts);
  self->data_dir = g_strdup (data_dir);
  self->cache_dir = g_strdup (cache_dir);
  return self;
}

/* Accounts ----------------------------------------------------------------------- */

static char *
lookup_password (const char *account_id, gpointer data, GCancellable *cancellable, GError **error)
{
  KontorMailEngine *self = data;

  return kontor_account_service_dup_mail_password_sync (self->accounts_model, account_id,
                                                        cancellable, error);
}

static void
account_messages_added_cb (KontorMailAccount *account,
                           const char *folder_id,
                           const char *const *ids,
                           KontorMailEngine *self)
{
  g_signal_emit (self, signals[MESSAGES_ADDED], 0, folder_id, ids);
}

static void
account_folders_changed_cb (KontorMailAccount *account, KontorMailEngine *self)
{
  KontorMailFolder *inbox = NULL;
  guint total = 0, unread = 0, n_inboxes = 0;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if ((inbox = kontor_mail_account_find_role (value, KONTOR_MAIL_ROLE_INBOX)) != NULL)
      {
        n_inboxes++;
        total += kontor_mail_folder_get_total (inbox);
        unread += kontor_mail_folder_get_unread (inbox);
      }
  kontor_mail_folder_set_counts (self->unified, total, unread);
  if (n_inboxes != self->n_inboxes)
    {
      self->n_inboxes = n_inboxes;
      g_signal_emit (self, signals[INBOXES_CHANGED], 0);
    }
}

static void
sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailEngine) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!kontor_mail_account_sync_finish (KONTOR_MAIL_ACCOUNT (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Mail sync of %s stopped: %s",
               kontor_mail_account_get_id (KONTOR_MAIL_ACCOUNT (object)), error->message);
  /* Counts of every Inbox are final now. */
  account_folders_changed_cb (KONTOR_MAIL_ACCOUNT (object), self);
  g_signal_emit (self, signals[HIDDEN_CHANGED], 0);
}

static gboolean want_online (KontorMailEngine *self);

static void
online_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailEngine) self = user_data;
  KontorMailAccount *account = KONTOR_MAIL_ACCOUNT (object);
  g_autoptr (GError) error = NULL;

  if (!kontor_mail_account_set_online_finish (account, result, &error))
    g_debug ("Mail account %s did not go online at once: %s", kontor_mail_account_get_id (account),
             error->message);
  /* The sync signs in itself; its failure is kept as the account's last error. */
  if (kontor_mail_account_get_online (account) || want_online (self))
    kontor_mail_account_sync_async (account, self->cancellable, sync_done_cb, g_object_ref (self));
}

static gboolean
want_online (KontorMailEngine *self)
{
  return !self->work_offline &&
         g_network_monitor_get_network_available (g_network_monitor_get_default ());
}

static void
set_ready (KontorMailEngine *self)
{
  if (self->ready)
    return;
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static gboolean
set_ready_cb (gpointer data)
{
  set_ready (data);
  return G_SOURCE_REMOVE;
}

static void
folders_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailEngine) self = user_data;
  KontorMailAccount *account = KONTOR_MAIL_ACCOUNT (object);
  g_autoptr (GError) error = NULL;

  if (!kontor_mail_account_load_folders_finish (account, result, &error))
    g_debug ("No cached folders for %s: %s", kontor_mail_account_get_id (account), error->message);
  /* Ready once the cached tree is applied: that is a low-priority idle queued before. */
  if (self->pending_loads > 0 && --self->pending_loads == 0)
    g_idle_add_full (G_PRIORITY_LOW, set_ready_cb, g_object_ref (self), g_object_unref);
  kontor_mail_account_set_online_async (account, want_online (self), self->cancellable,
                                        online_done_cb, g_object_ref (self));
}

static void
add_account (KontorMailEngine *self, KontorAccount *account)
{
  g_autoptr (GError) error = NULL;
  KontorMailAccount *mail_account;

  mail_account =
    kontor_mail_account_new (self->session, account, self->data_dir, lookup_password, self, &error);
  if (mail_account == NULL)
    {
      g_warning ("Mail of account %s is not available: %s", kontor_account_get_id (account),
                 error->message);
      return;
    }
  kontor_mail_account_set_body_days (mail_account, self->body_days);
  kontor_mail_account_set_network_allowed (mail_account, want_online (self));
  g_signal_connect_object (mail_account, "messages-added", G_CALLBACK (account_messages_added_cb),
                           self, 0);
  g_signal_connect_object (mail_account, "folders-changed", G_CALLBACK (account_folders_changed_cb),
                           self, 0);
  g_hash_table_insert (self->accounts, g_strdup (kontor_account_get_id (account)), mail_account);
  g_list_store_append (self->roots, kontor_mail_account_get_root (mail_account));
  if (!self->ready)
    self->pending_loads++;
  kontor_mail_account_load_folders_async (mail_account, self->cancellable, folders_loaded_cb,
                                          g_object_ref (self));
}

static void
remove_account (KontorMailEngine *self, const char *id)
{
  KontorMailAccount *account = g_hash_table_lookup (self->accounts, id);
  guint position;

  if (account == NULL)
    return;
  if (g_list_store_find (self->roots, kontor_mail_account_get_root (account), &position))
    g_list_store_remove (self->roots, position);
  g_hash_table_remove (self->accounts, id);
  account_folders_changed_cb (NULL, self);
}

static void
accounts_changed_cb (GListModel *model,
                     guint position,
                     guint removed,
                     guint added,
                     KontorMailEngine *self)
{
  g_autoptr (GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (model, i);
      const char *id = kontor_account_get_id (account);
      const char *const *services = kontor_account_get_services (account);
      KontorMailAccount *existing = g_hash_table_lookup (self->accounts, id);

      if (services == NULL || !g_strv_contains (services, "mail") ||
          kontor_account_get_settings (account)->imap_host == NULL)
        continue;
      g_hash_table_add (wanted, (gpointer) id);
      if (existing != NULL)
        kontor_mail_account_update (existing, account);
      else
        add_account (self, account);
    }
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (wanted, key))
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    remove_account (self, g_ptr_array_index (gone, i));
}

static void
accounts_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailEngine) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!kontor_account_service_load_finish (KONTOR_ACCOUNT_SERVICE (object), result, &error))
    g_warning ("Mail cannot read the accounts: %s", error->message);
  if (self->session == NULL)
    return; /* shut down meanwhile */
  g_signal_connect (self->accounts_model, "items-changed", G_CALLBACK (accounts_changed_cb), self);
  accounts_changed_cb (G_LIST_MODEL (self->accounts_model), 0, 0, 0, self);
  /* Ready once every account's cached folders are read, or now without accounts. */
  if (self->pending_loads == 0)
    set_ready (self);
}

static void
apply_online (KontorMailEngine *self)
{
  GHashTableIter iter;
  gpointer value;
  gboolean online = want_online (self);

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    kontor_mail_account_set_network_allowed (value, online);
  if (self->outbox != NULL)
    kontor_mail_outbox_set_online (self->outbox, online);
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (camel_offline_store_get_online (
          CAMEL_OFFLINE_STORE (kontor_mail_account_get_store (value))) != online)
      kontor_mail_account_set_online_async (value, online, self->cancellable, online_done_cb,
                                            g_object_ref (self));
}

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, KontorMailEngine *self)
{
  apply_online (self);
}

static gboolean
periodic_sync_cb (gpointer data)
{
  KontorMailEngine *self = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (kontor_mail_account_get_online (value))
      kontor_mail_account_sync_async (value, self->cancellable, sync_done_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

void
kontor_mail_engine_start (KontorMailEngine *self)
{
  g_autofree char *camel_data = NULL;
  g_autofree char *camel_cache = NULL;
  g_autofree char *outbox = NULL;

  g_return_if_fail (KONTOR_IS_MAIL_ENGINE (self));
  if (self->session != NULL)
    return;

  camel_data = g_build_filename (self->data_dir, "camel", NULL);
  camel_cache = g_build_filename (self->cache_dir, "camel", NULL);
  self->session = CAMEL_SESSION (kontor_camel_session_new (
    camel_data, camel_cache, kontor_account_service_get_trust_store (self->accounts_model)));
  camel_session_set_online (self->session, TRUE);
  outbox = g_build_filename (self->data_dir, "outbox", NULL);
  self->outbox = kontor_mail_outbox_new (self, self->accounts_model, self->session, outbox);
  kontor_mail_outbox_set_online (self->outbox, want_online (self));
  g_list_store_append (self->roots, self->unified);
  self->network_id = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                       G_CALLBACK (network_changed_cb), self);
  self->periodic_id = g_timeout_add_seconds (PERIODIC_SYNC_SECONDS, periodic_sync_cb, self);
  kontor_account_service_load_async (self->accounts_model, self->cancellable, accounts_loaded_cb,
                                     g_object_ref (self));
}

void
kontor_mail_engine_shutdown (KontorMailEngine *self)
{
  g_return_if_fail (KONTOR_IS_MAIL_ENGINE (self));

  g_cancellable_cancel (self->cancellable);
  if (self->outbox != NULL)
    kontor_mail_outbox_shutdown (self->outbox);
  g_clear_signal_handler (&self->network_id, g_network_monitor_get_default ());
  g_clear_handle_id (&self->periodic_id, g_source_remove);
}

gboolean
kontor_mail_engine_get_ready (KontorMailEngine *self)
{
  return self->ready;
}

GListModel *
kontor_mail_engine_get_folders (KontorMailEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (self), NULL);
  return G_LIST_MODEL (self->roots);
}

KontorMailAccount *
kontor_mail_engine_lookup_account (KontorMailEngine *self, const char *account_id)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (self), NULL);
  return account_id != NULL ? g_hash_table_lookup (self->accounts, account_id) : NULL;
}

KontorMailFolder *
kontor_mail_engine_lookup_folder (KontorMailEngine *self, const char *folder_id)
{
  g_autofree char *account_id = NULL;
  g_autofree char *full_name = NULL;
  KontorMailAccount *account;

  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (self), NULL);
  if (g_strcmp0 (folder_id, KONTOR_MAIL_UNIFIED_INBOX_ID) == 0)
    return self->unified;
  if (!kontor_mail_folder_id_parse (folder_id, &account_id, &full_name) ||
      (account = g_hash_table_lookup (self->accounts, account_id)) == NULL)
    return NULL;
  return kontor_mail_account_lookup_folder (account, full_name);
}

gboolean
kontor_mail_engine_get_work_offline (KontorMailEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (self), FALSE);
  return self->work_offline;
}

void
kontor_mail_engine_set_work_offline (KontorMailEngine *self, gboolean work_offline)
{
  g_return_if_fail (KONTOR_IS_MAIL_ENGINE (self));
  if (self->work_offline == !!work_offline)
    return;
  self->work_offline = !!work_offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORK_OFFLINE]);
  apply_online (self);
}

void
kontor_mail_engine_set_body_days (KontorMailEngine *self, int days)
{
  GHashTableIter iter;
  gpointer value;

  self->body_days = days;
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    kontor_mail_account_set_body_days (value, days);
}

GHashTable *
kontor_mail_engine_dup_hidden (KontorMailEngine *self)
{
  GHashTable *hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    kontor_mail_account_add_hidden (value, hidden);
  return hidden;
}

/* The queue of messages to send; NULL before kontor_mail_engine_start(). */
KontorMailOutbox *
kontor_mail_engine_get_outbox (KontorMailEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (self), NULL);
  return self->outbox;
}

void
kontor_mail_engine_emit_hidden_changed (KontorMailEngine *self)
{
  g_signal_emit (self, signals[HIDDEN_CHANGED], 0);
}
