/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-service.c: accounts live in the EDS source registry, so an account
 * added here also shows in GNOME Calendar, GNOME Contacts and Evolution, and theirs
 * show here. The registry is connected lazily (the first caller waits), so start-up
 * pays nothing. Nothing is stored before every service was verified by connecting. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-account-private.h"
#include "kontor-account-service-private.h"
#include "kontor-camel-session.h"
#include "kontor-discovery.h"
#include "kontor-error.h"
#include "kontor-trust-store.h"
#include "kontor-verifier.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KontorAccountService,
                               kontor_account_service,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  ACCOUNT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
get_item_type (GListModel *model)
{
  return KONTOR_TYPE_ACCOUNT;
}

static guint
get_n_items (GListModel *model)
{
  return KONTOR_ACCOUNT_SERVICE (model)->accounts->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (model);

  return position < self->accounts->len ? g_object_ref (self->accounts->pdata[position]) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* The roots of accounts: collections, and mail accounts that have none (made by
 * Evolution), but not Evolution's built-in "On This Computer" and search folders. */
static gboolean
is_account_root (ESourceRegistry *registry, ESource *source)
{
  const char *uid = e_source_get_uid (source);
  const char *parent = e_source_get_parent (source);
  g_autoptr (ESource) parent_source = NULL;

  if (e_source_has_extension (source, E_SOURCE_EXTENSION_COLLECTION))
    return TRUE;
  if (!e_source_has_extension (source, E_SOURCE_EXTENSION_MAIL_ACCOUNT) ||
      g_strcmp0 (uid, "local") == 0 || g_strcmp0 (uid, "vfolder") == 0)
    return FALSE;
  if (g_strcmp0 (e_source_backend_get_backend_name (
                   e_source_get_extension (source, E_SOURCE_EXTENSION_MAIL_ACCOUNT)),
                 "none") == 0)
    return FALSE;

  parent_source = parent && *parent ? e_source_registry_ref_source (registry, parent) : NULL;
  return parent_source == NULL ||
         !e_source_has_extension (parent_source, E_SOURCE_EXTENSION_COLLECTION);
}

static int
compare_accounts (gconstpointer a, gconstpointer b)
{
  KontorAccount *account_a = *(KontorAccount **) a;
  KontorAccount *account_b = *(KontorAccount **) b;

  return g_utf8_collate (kontor_account_get_display_name (account_a) ?: "",
                         kontor_account_get_display_name (account_b) ?: "");
}

KontorAccount *
kontor_account_service_find (GPtrArray *accounts, const char *id)
{
  for (guint i = 0; i < accounts->len; i++)
    if (g_strcmp0 (kontor_account_get_id (accounts->pdata[i]), id) == 0)
      return accounts->pdata[i];
  return NULL;
}

static gboolean
refresh (gpointer user_data)
{
  KontorAccountService *self = user_data;
  g_autoptr (GPtrArray) old = g_steal_pointer (&self->accounts);
  g_autolist (ESource) sources = e_source_registry_list_sources (self->registry, NULL);
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);

  self->refresh_id = 0;
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);

  for (GList *l = sources; l != NULL; l = l->next)
    {
      KontorAccountSources account_sources;

      if (!is_account_root (self->registry, l->data))
        continue;
      kontor_account_sources_lookup (self->registry, l->data, &account_sources);
      g_ptr_array_add (self->accounts, kontor_account_new_from_sources (&account_sources));
      kontor_account_sources_clear (&account_sources);
    }
  g_ptr_array_sort (self->accounts, compare_accounts);

  /* Tell which accounts changed, so D-Bus can say it per account. */
  for (guint i = 0; i < self->accounts->len; i++)
    {
      KontorAccount *now = self->accounts->pdata[i];
      KontorAccount *before = kontor_account_service_find (old, kontor_account_get_id (now));
      g_autoptr (GVariant) a = NULL;
      g_autoptr (GVariant) b = NULL;

      if (before != NULL)
        {
          a = g_variant_ref_sink (kontor_account_to_variant (now));
          b = g_variant_ref_sink (kontor_account_to_variant (before));
        }
      if (before == NULL || !g_variant_equal (a, b))
        g_ptr_array_add (changed, g_strdup (kontor_account_get_id (now)));
    }
  for (guint i = 0; i < old->len; i++)
    if (kontor_account_service_find (self->accounts, kontor_account_get_id (old->pdata[i])) == NULL)
      g_ptr_array_add (changed, g_strdup (kontor_account_get_id (old->pdata[i])));

  if (changed->len > 0 || old->len != self->accounts->len)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old->len, self->accounts->len);
  for (guint i = 0; i < changed->len; i++)
    g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, changed->pdata[i]);

  return G_SOURCE_REMOVE;
}

/* The accounts read again now, for a change this process just wrote. */
void
kontor_account_service_refresh (KontorAccountService *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->registry != NULL)
    refresh (self);
}

static void
schedule_refresh (KontorAccountService *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT, refresh, self, NULL);
}

static void
registry_new_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorAccountService) self = user_data;
  g_autoptr (GError) error = NULL;
  GTask *task;

  self->loading = FALSE;
  self->registry = e_source_registry_new_finish (result, &error);
  if (self->registry != NULL)
    {
      const char *signals_to_follow[] = { "source-added", "source-removed", "source-changed",
                                          "source-enabled", "source-disabled" };

      for (guint i = 0; i < G_N_ELEMENTS (signals_to_follow); i++)
        g_signal_connect_object (self->registry, signals_to_follow[i],
                                 G_CALLBACK (schedule_refresh), self, G_CONNECT_SWAPPED);
      refresh (self);
    }
  else
    g_warning ("Could not reach the account registry: %s", error->message);

  while ((task = g_queue_pop_head (&self->pending_loads)) != NULL)
    {
      if (error != NULL)
        g_task_return_new_error (
          task, KONTOR_ERROR, KONTOR_ERROR_FAILED,
          _ ("The account registry (Evolution Data Server) is not available: %s"), error->message);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/**
 * kontor_account_service_load_async:
 *
 * Connects to the source registry once; later calls finish at once. Every other
 * operation waits for this itself.
 */
void
kontor_account_service_load_async (KontorAccountService *self,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  GTask *task;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_account_service_load_async);

  if (self->registry != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  g_queue_push_tail (&self->pending_loads, task);
  if (!self->loading)
    {
      self->loading = TRUE;
      e_source_registry_new (NULL, registry_new_cb, g_object_ref (self));
    }
}

gboolean
kontor_account_service_load_finish (KontorAccountService *self,
                                    GAsyncResult *result,
                                    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Returns: (transfer none) (nullable): the registry, once loaded; for the other
 * services of this library (address completion), which share it. */
ESourceRegistry *
kontor_account_service_get_registry (KontorAccountService *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self), NULL);
  return self->registry;
}

/* Returns: (transfer none) (nullable) */
KontorAccount *
kontor_account_service_lookup (KontorAccountService *self, const char *id)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self), NULL);
  return id ? kontor_account_service_find (self->accounts, id) : NULL;
}

/**
 * kontor_account_service_set_discovery:
 * @discovery: (nullable): the discovery that Discover and Add use from now on, or %NULL
 *   for a default one
 *
 * For tests and benchmarks, not for the application: they give the discovery a
 * resolver and a rewrite function (kontor_discovery_set_rewrite_func()) that send its
 * requests to servers they run themselves.
 */
void
kontor_account_service_set_discovery (KontorAccountService *self, KontorDiscovery *discovery)
{
  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (discovery == NULL || KONTOR_IS_DISCOVERY (discovery));

  g_set_object (&self->discovery, discovery);
}

/* The pinned certificates, read from disk on first use rather than at start-up. */
KontorTrustStore *
kontor_account_service_ensure_trust (KontorAccountService *self)
{
  if (self->trust == NULL)
    {
      g_autofree char *path = g_build_filename (self->config_dir, "trusted-certificates.ini", NULL);

      self->trust = kontor_trust_store_new (path);
    }
  return self->trust;
}

KontorVerifier *
kontor_account_service_ensure_verifier (KontorAccountService *self)
{
  if (self->verifier == NULL)
    {
      g_autofree char *camel_data = g_build_filename (self->data_dir, "verify", NULL);
      g_autofree char *camel_cache = g_build_filename (self->cache_dir, "verify", NULL);

      KontorTrustStore *trust = kontor_account_service_ensure_trust (self);

      self->camel = kontor_camel_session_new (camel_data, camel_cache, trust);
      self->verifier = kontor_verifier_new (self->camel, trust);
    }
  return self->verifier;
}

static void
kontor_account_service_dispose (GObject *object)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->registry);
  g_clear_object (&self->verifier);
  g_clear_object (&self->camel);
  g_clear_object (&self->discovery);
  g_clear_object (&self->trust);

  G_OBJECT_CLASS (kontor_account_service_parent_class)->dispose (object);
}

static void
kontor_account_service_finalize (GObject *object)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_free (self->config_dir);
  g_free (self->data_dir);
  g_free (self->cache_dir);

  G_OBJECT_CLASS (kontor_account_service_parent_class)->finalize (object);
}

static void
kontor_account_service_class_init (KontorAccountServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_account_service_dispose;
  object_class->finalize = kontor_account_service_finalize;

  /**
   * KontorAccountService::account-changed:
   * @id: the account added, changed or removed
   */
  signals[ACCOUNT_CHANGED] =
    g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kontor_account_service_init (KontorAccountService *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->pending_loads);
}

/**
 * kontor_account_service_new:
 * @config_dir: Kontor's own configuration folder (pinned certificates)
 * @data_dir: Kontor's data folder
 * @cache_dir: Kontor's cache folder
 */
KontorAccountService *
kontor_account_service_new (const char *config_dir, const char *data_dir, const char *cache_dir)
{
  KontorAccountService *self;

  g_return_val_if_fail (config_dir != NULL && data_dir != NULL && cache_dir != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_ACCOUNT_SERVICE, NULL);
  self->config_dir = g_strdup (config_dir);
  self->data_dir = g_strdup (data_dir);
  self->cache_dir = g_strdup (cache_dir);

  return self;
}

/* ---- Operations: each waits for the registry, then does its work. ---- */

void
kontor_account_service_op_free (KontorAccountOp *op)
{
  g_free (op->id);
  g_free (op->email);
  if (op->password != NULL)
    memset (op->password, 0, strlen (op->password));
  g_free (op->password);
  g_free (op->secret);
  g_clear_pointer (&op->options, g_variant_unref);
  g_clear_pointer (&op->settings, kontor_account_settings_free);
  g_free (op);
}

GTask *
kontor_account_service_op_task (KontorAccountService *self,
                                gpointer source_tag,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data,
                                KontorAccountOp **out_op)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  KontorAccountOp *op = g_new0 (KontorAccountOp, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) kontor_account_service_op_free);
  *out_op = op;
  return task;
}

static const char *
option_string (GVariant *options, const char *key)
{
  const char *value = NULL;

  if (options != NULL && g_variant_lookup (options, key, "&s", &value) && *value != '\0')
    return value;
  return NULL;
}

static void
settings_ready (GTask *task, KontorAccountSettings *discovered, GError *discovery_error)
{
  KontorAccountOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (discovered == NULL)
    {
      /* Discovery may fail where the user gave the mail servers by hand. */
      if (option_string (op->options, "imap-host") == NULL)
        {
          g_task_return_error (task, discovery_error);
          g_object_unref (task);
          return;
        }
      g_clear_error (&discovery_error);
      discovered = kontor_account_settings_new (op->email);
      discovered->origin = g_strdup ("manual");
    }

  if (!kontor_account_settings_apply_options (discovered, op->options, &error) ||
      !kontor_account_settings_validate (discovered, &error))
    {
      kontor_account_settings_free (discovered);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  kontor_account_settings_drop_empty_urls (discovered);
  g_task_return_pointer (task, discovered, (GDestroyNotify) kontor_account_settings_free);
  g_object_unref (task);
}

static void
discovered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError *error = NULL;
  KontorAccountSettings *settings =
    kontor_discovery_discover_finish (KONTOR_DISCOVERY (source), result, &error);

  settings_ready (user_data, settings, error);
}

static void
discover_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KontorAccountService *self = KONTOR_ACCOUNT_SERVICE (source);
  GTask *task = user_data;
  KontorAccountOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  const char *preset = option_string (op->options, "preset");

  if (!kontor_account_service_load_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (!kontor_email_is_valid (op->email))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("“%s” is not an e-mail address"), op->email);
      g_object_unref (task);
      return;
    }
  if (preset != NULL && g_strcmp0 (preset, "opendesk") != 0)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("Unknown preset “%s”; the known preset is “opendesk”"), preset);
      g_object_unref (task);
      return;
    }

  /* Mail servers given by hand, and no preset: nothing to discover. */
  if (preset == NULL && option_string (op->options, "imap-host") != NULL)
    {
      settings_ready (task, NULL, NULL);
      return;
    }

  if (self->discovery == NULL)
    self->discovery = kontor_discovery_new ();
  kontor_discovery_discover_async (self->discovery, op->email, preset,
                                   g_task_get_cancellable (task), discovered_cb, task);
}

/**
 * kontor_account_service_discover_async:
 * @options: (nullable): an a{sv} as for Accounts1.Add; settings in it win over
 *   what is discovered, and mail servers given there skip discovery
 *
 * Finds the settings for @email without storing or verifying anything.
 */
void
kontor_account_service_discover_async (KontorAccountService *self,
                                       const char *email,
                                       GVariant *options,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  GTask *task;
  KontorAccountOp *op;

  g_return_if_fail (KONTOR_IS_ACCOUNT_SERVICE (self));
  g_return_if_fail (email != NULL);

  task = kontor_account_service_op_task (self, kontor_account_service_discover_async, cancellable,
                                         callback, user_data, &op);
  op->email = g_strstrip (g_strdup (email));
  op->options =
    options ? g_variant_ref_sink (options) : g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  kontor_account_service_load_async (self, cancellable, discover_loaded_cb, task);
}

KontorAccountSettings *
kontor_account_service_discover_finish (KontorAccountService *self,
                                        GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
