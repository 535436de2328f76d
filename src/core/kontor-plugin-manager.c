/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-plugin-manager.c: the plugin host's GTK-free half.
 *
 * Plugins are GIOModules in one folder (KONTOR_PLUGIN_DIR overrides it). Each module
 * implements the extension point "kontor-plugin" with a GType implementing
 * KontorPlugin, named by the plugin's id. Every module is opened at start-up, so
 * Preferences can list the disabled ones too, but only enabled plugins are load()ed,
 * and nothing here builds a page: that waits until the page is shown.
 *
 * The manager is a GListModel of KontorPluginInfo in display order. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "kontor-error.h"
#include "kontor-plugin-manager.h"

#define MODULE_PREFIX "libkontor-plugin-"

struct _KontorPluginManager
{
  GObject parent_instance;

  /* Borrowed: the context outlives the manager (both belong to the application). */
  KontorContext *context;

  /* Owned */
  char *directory;
  GPtrArray *infos;
  gulong settings_changed_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KontorPluginManager,
                               kontor_plugin_manager,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PLUGINS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
get_item_type (GListModel *model)
{
  return KONTOR_TYPE_PLUGIN_INFO;
}

static guint
get_n_items (GListModel *model)
{
  return KONTOR_PLUGIN_MANAGER (model)->infos->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  KontorPluginManager *self = KONTOR_PLUGIN_MANAGER (model);

  if (position >= self->infos->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->infos, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
ensure_extension_point (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GIOExtensionPoint *point = g_io_extension_point_register (KONTOR_PLUGIN_EXTENSION_POINT);

      g_io_extension_point_set_required_type (point, KONTOR_TYPE_PLUGIN);
      g_once_init_leave (&done, 1);
    }
}

static gboolean
is_disabled (KontorPluginManager *self, const char *id)
{
  g_auto (GStrv) disabled =
    g_settings_get_strv (kontor_context_get_settings (self->context), "disabled-plugins");

  return g_strv_contains ((const char *const *) disabled, id);
}

static void
emit_changed (KontorPluginManager *self)
{
  g_signal_emit (self, signals[PLUGINS_CHANGED], 0);
}

/* Calls load() and exports the plugin's D-Bus object. On failure the plugin is
 * unloaded again and the reason kept for Preferences, D-Bus and the log. */
static gboolean
activate (KontorPluginManager *self, KontorPluginInfo *info, GError **error)
{
  KontorPlugin *plugin = kontor_plugin_info_get_plugin (info);
  GDBusConnection *connection = kontor_context_get_connection (self->context);
  g_autoptr (GError) local_error = NULL;

  if (plugin == NULL)
    {
      g_set_error_literal (error, KONTOR_ERROR, KONTOR_ERROR_PLUGIN_UNAVAILABLE,
                           kontor_plugin_info_get_error_message (info));
      return FALSE;
    }

  if (kontor_plugin_info_get_state (info) == KONTOR_PLUGIN_STATE_LOADED)
    return TRUE;

  if (!kontor_plugin_load (plugin, self->context, &local_error) ||
      (connection != NULL &&
       !kontor_plugin_export_dbus (plugin, connection,
                                   kontor_context_get_object_path (self->context), &local_error)))
    {
      g_warning ("Plugin “%s” failed to load: %s", kontor_plugin_info_get_id (info),
                 local_error->message);
      kontor_plugin_unload (plugin);
      kontor_plugin_info_set_state (info, KONTOR_PLUGIN_STATE_FAILED, local_error->message);
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_PLUGIN_UNAVAILABLE,
                   _ ("The plugin “%s” could not be loaded: %s"),
                   kontor_plugin_info_get_title (info), local_error->message);
      return FALSE;
    }

  kontor_plugin_info_set_state (info, KONTOR_PLUGIN_STATE_LOADED, NULL);
  g_debug ("Loaded plugin “%s”", kontor_plugin_info_get_id (info));
  return TRUE;
}

static void
deactivate (KontorPluginManager *self, KontorPluginInfo *info)
{
  KontorPlugin *plugin = kontor_plugin_info_get_plugin (info);

  if (plugin != NULL && kontor_plugin_info_get_state (info) == KONTOR_PLUGIN_STATE_LOADED)
    {
      if (kontor_context_get_connection (self->context) != NULL)
        kontor_plugin_unexport_dbus (plugin);
      kontor_plugin_unload (plugin);
    }

  /* A plugin that failed stays failed when turned off, so the reason is not lost;
   * turning it on again retries. */
  if (kontor_plugin_info_get_state (info) != KONTOR_PLUGIN_STATE_FAILED)
    kontor_plugin_info_set_state (info, KONTOR_PLUGIN_STATE_DISABLED, NULL);
}

static int
compare_infos (gconstpointer a, gconstpointer b)
{
  KontorPluginInfo *info_a = *(KontorPluginInfo **) a;
  KontorPluginInfo *info_b = *(KontorPluginInfo **) b;
  int order_a = kontor_plugin_info_get_order (info_a);
  int order_b = kontor_plugin_info_get_order (info_b);

  if (order_a != order_b)
    return order_a < order_b ? -1 : 1;
  return g_strcmp0 (kontor_plugin_info_get_id (info_a), kontor_plugin_info_get_id (info_b));
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static char *
id_from_file_name (const char *name)
{
  const char *start = g_str_has_prefix (name, MODULE_PREFIX) ? name + strlen (MODULE_PREFIX) : name;
  const char *dot = strchr (start, '.');

  return dot ? g_strndup (start, dot - start) : g_strdup (start);
}

static GHashTable *
extension_names (void)
{
  GIOExtensionPoint *point = g_io_extension_point_lookup (KONTOR_PLUGIN_EXTENSION_POINT);
  GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);

  for (GList *l = g_io_extension_point_get_extensions (point); l != NULL; l = l->next)
    g_hash_table_add (names, (gpointer) g_io_extension_get_name (l->data));
  return names;
}

/* What each module file registered, for the life of the process: a module is mapped
 * once, and the extension point remembers its types, so a second manager (a test, or
 * a manager made anew) must reuse them rather than load the file again. Keyed by the
 * resolved path, as the dynamic linker does. Main thread only. */
static GHashTable *
registered_modules (void)
{
  static GHashTable *modules = NULL;

  if (modules == NULL)
    modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  return modules;
}

static GStrv
load_module (const char *path, const char *file_name, GError **error)
{
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GStrvBuilder) ids = NULL;
  g_autofree char *real_path = realpath (path, NULL);
  GIOExtensionPoint *point;
  GModule *probe;
  gpointer symbol;
  GStrv recorded;

  if (real_path != NULL &&
      (recorded = g_hash_table_lookup (registered_modules (), real_path)) != NULL)
    return g_strdupv (recorded);

  /* Probe first: GIOModule only prints dlopen's reason, and the user should see it. */
  probe = g_module_open_full (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL, error);
  if (probe == NULL)
    return NULL;
  if (!g_module_symbol (probe, "g_io_module_load", &symbol))
    {
      g_module_close (probe);
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                   _ ("%s is not a Kontor plugin (it has no g_io_module_load)"), file_name);
      return NULL;
    }

  before = extension_names ();
  /* Plugins register static types, so their code must never be unmapped: the module
   * stays in use for the life of the process. */
  if (!g_type_module_use (G_TYPE_MODULE (g_io_module_new (path))))
    {
      g_module_close (probe);
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED, _ ("%s could not be loaded"),
                   file_name);
      return NULL;
    }
  g_module_close (probe);

  ids = g_strv_builder_new ();
  point = g_io_extension_point_lookup (KONTOR_PLUGIN_EXTENSION_POINT);
  for (GList *l = g_io_extension_point_get_extensions (point); l != NULL; l = l->next)
    if (!g_hash_table_contains (before, g_io_extension_get_name (l->data)))
      g_strv_builder_add (ids, g_io_extension_get_name (l->data));

  recorded = g_strv_builder_end (ids);
  if (real_path != NULL)
    g_hash_table_insert (registered_modules (), g_steal_pointer (&real_path), g_strdupv (recorded));
  return recorded;
}

/* Adds an info for each plugin a module registers (normally one), or a failed info
 * named after the file when the module cannot be used. */
static void
open_module (KontorPluginManager *self, const char *path, const char *file_name)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) ids = load_module (path, file_name, &error);
  GIOExtensionPoint *point = g_io_extension_point_lookup (KONTOR_PLUGIN_EXTENSION_POINT);

  if (ids != NULL && ids[0] == NULL)
    g_set_error (
      &error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
      _ ("%s registered no new plugin (its plugin is already installed from another file)"),
      file_name);

  if (error != NULL)
    {
      g_autofree char *id = id_from_file_name (file_name);
      KontorPluginInfo *info = kontor_plugin_info_new (id, path);

      g_warning ("Plugin module %s failed to load: %s", path, error->message);
      kontor_plugin_info_set_state (info, KONTOR_PLUGIN_STATE_FAILED, error->message);
      g_ptr_array_add (self->infos, info);
      return;
    }

  for (guint i = 0; ids[i] != NULL; i++)
    {
      GIOExtension *extension = g_io_extension_point_get_extension_by_name (point, ids[i]);
      g_autoptr (KontorPluginInfo) info = kontor_plugin_info_new (ids[i], path);
      g_autoptr (GObject) plugin = g_object_new (g_io_extension_get_type (extension), NULL);

      kontor_plugin_info_set_plugin (info, KONTOR_PLUGIN (plugin));
      g_ptr_array_add (self->infos, g_steal_pointer (&info));
    }
}

static void
settings_changed_cb (KontorPluginManager *self, const char *key, GSettings *settings)
{
  /* Follow changes made elsewhere (another instance, dconf-editor). */
  for (guint i = 0; i < self->infos->len; i++)
    {
      KontorPluginInfo *info = g_ptr_array_index (self->infos, i);
      gboolean disabled = is_disabled (self, kontor_plugin_info_get_id (info));
      KontorPluginState state = kontor_plugin_info_get_state (info);

      if (disabled && state == KONTOR_PLUGIN_STATE_LOADED)
        deactivate (self, info);
      else if (!disabled && state == KONTOR_PLUGIN_STATE_DISABLED)
        activate (self, info, NULL);
      else
        continue;
      emit_changed (self);
    }
}

static void
kontor_plugin_manager_dispose (GObject *object)
{
  KontorPluginManager *self = KONTOR_PLUGIN_MANAGER (object);

  kontor_plugin_manager_unload_all (self);
  if (self->context != NULL)
    {
      g_clear_signal_handler (&self->settings_changed_id,
                              kontor_context_get_settings (self->context));
      g_object_remove_weak_pointer (G_OBJECT (self->context), (gpointer *) &self->context);
      self->context = NULL;
    }

  G_OBJECT_CLASS (kontor_plugin_manager_parent_class)->dispose (object);
}

static void
kontor_plugin_manager_finalize (GObject *object)
{
  KontorPluginManager *self = KONTOR_PLUGIN_MANAGER (object);

  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_free (self->directory);

  G_OBJECT_CLASS (kontor_plugin_manager_parent_class)->finalize (object);
}

static void
kontor_plugin_manager_class_init (KontorPluginManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_plugin_manager_dispose;
  object_class->finalize = kontor_plugin_manager_finalize;

  /**
   * KontorPluginManager::plugins-changed:
   *
   * A plugin was loaded, unloaded, enabled, disabled or failed.
   */
  signals[PLUGINS_CHANGED] = g_signal_new ("plugins-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kontor_plugin_manager_init (KontorPluginManager *self)
{
  self->infos = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * kontor_plugin_manager_get_default_directory:
 *
 * Returns: $KONTOR_PLUGIN_DIR when set (the build tree, tests; a list separated by
 * G_SEARCHPATH_SEPARATOR), else the installed plugin folder.
 */
const char *
kontor_plugin_manager_get_default_directory (void)
{
  const char *dir = g_getenv ("KONTOR_PLUGIN_DIR");

  return dir != NULL && *dir != '\0' ? dir : PLUGINDIR;
}

KontorPluginManager *
kontor_plugin_manager_new (KontorContext *context, const char *directory)
{
  KontorPluginManager *self;

  g_return_val_if_fail (KONTOR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (directory != NULL, NULL);

  ensure_extension_point ();

  self = g_object_new (KONTOR_TYPE_PLUGIN_MANAGER, NULL);
  self->context = context;
  g_object_add_weak_pointer (G_OBJECT (context), (gpointer *) &self->context);
  self->directory = g_strdup (directory);
  self->settings_changed_id =
    g_signal_connect_object (kontor_context_get_settings (context), "changed::disabled-plugins",
                             G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

const char *
kontor_plugin_manager_get_directory (KontorPluginManager *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_MANAGER (self), NULL);
  return self->directory;
}

/**
 * kontor_plugin_manager_load_all:
 *
 * Opens every module in the plugin folder (or folders: the directory given at
 * construction may be a search path, as the build tree has one folder per plugin) and loads the
 * enabled plugins. A plugin that fails is marked failed, logged, and the others still load. Call
 * once.
 */
void
kontor_plugin_manager_load_all (KontorPluginManager *self)
{
  g_auto (GStrv) directories = NULL;

  g_return_if_fail (KONTOR_IS_PLUGIN_MANAGER (self));
  g_return_if_fail (self->infos->len == 0);

  directories = g_strsplit (self->directory, G_SEARCHPATH_SEPARATOR_S, -1);
  for (guint d = 0; directories[d] != NULL; d++)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GError) error = NULL;
      g_autoptr (GDir) dir = NULL;
      const char *name;

      if (*directories[d] == '\0')
        continue;

      dir = g_dir_open (directories[d], 0, &error);
      if (dir == NULL)
        {
          /* No plugin folder simply means no plugin installed; the window says so. */
          g_debug ("No plugins: %s", error->message);
          continue;
        }

      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, MODULE_PREFIX) && g_str_has_suffix (name, "." G_MODULE_SUFFIX))
          g_ptr_array_add (names, g_strdup (name));
      /* A stable order, whatever the file system returns. */
      g_ptr_array_sort (names, compare_names);

      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *path = g_build_filename (directories[d], names->pdata[i], NULL);

          open_module (self, path, names->pdata[i]);
        }
    }

  g_ptr_array_sort (self->infos, compare_infos);

  for (guint i = 0; i < self->infos->len; i++)
    {
      KontorPluginInfo *info = g_ptr_array_index (self->infos, i);

      if (kontor_plugin_info_get_state (info) == KONTOR_PLUGIN_STATE_FAILED)
        continue;
      if (!is_disabled (self, kontor_plugin_info_get_id (info)))
        activate (self, info, NULL);
    }

  if (self->infos->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->infos->len);
  emit_changed (self);
}

/* Unloads every plugin; safe to call more than once. */
void
kontor_plugin_manager_unload_all (KontorPluginManager *self)
{
  g_return_if_fail (KONTOR_IS_PLUGIN_MANAGER (self));

  for (guint i = 0; self->context != NULL && i < self->infos->len; i++)
    {
      KontorPluginInfo *info = g_ptr_array_index (self->infos, i);

      if (kontor_plugin_info_get_state (info) == KONTOR_PLUGIN_STATE_LOADED)
        deactivate (self, info);
    }
}

/**
 * kontor_plugin_manager_lookup:
 *
 * Returns: (transfer none) (nullable): the plugin with that id
 */
KontorPluginInfo *
kontor_plugin_manager_lookup (KontorPluginManager *self, const char *id)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->infos->len; i++)
    {
      KontorPluginInfo *info = g_ptr_array_index (self->infos, i);

      if (g_strcmp0 (kontor_plugin_info_get_id (info), id) == 0)
        return info;
    }
  return NULL;
}

/**
 * kontor_plugin_manager_set_enabled:
 *
 * Loads or unloads the plugin now and remembers the choice in the settings.
 * Enabling a plugin that then fails returns the reason.
 */
gboolean
kontor_plugin_manager_set_enabled (KontorPluginManager *self,
                                   const char *id,
                                   gboolean enabled,
                                   GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) disabled = NULL;
  g_auto (GStrv) updated = NULL;
  KontorPluginInfo *info;
  GSettings *settings;
  gboolean ok = TRUE;

  g_return_val_if_fail (KONTOR_IS_PLUGIN_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = kontor_plugin_manager_lookup (self, id);
  if (info == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND, _ ("No plugin “%s” is installed"),
                   id);
      return FALSE;
    }

  settings = kontor_context_get_settings (self->context);
  disabled = g_settings_get_strv (settings, "disabled-plugins");
  for (guint i = 0; disabled[i] != NULL; i++)
    if (g_strcmp0 (disabled[i], id) != 0)
      g_strv_builder_add (builder, disabled[i]);
  if (!enabled)
    g_strv_builder_add (builder, id);
  updated = g_strv_builder_end (builder);

  /* Apply first, so the settings handler finds nothing left to do. */
  if (enabled)
    ok = activate (self, info, error);
  else
    deactivate (self, info);

  g_signal_handler_block (settings, self->settings_changed_id);
  g_settings_set_strv (settings, "disabled-plugins", (const char *const *) updated);
  g_signal_handler_unblock (settings, self->settings_changed_id);

  emit_changed (self);
  return ok;
}

typedef struct
{
  char *uri;
} RouteData;

static void
route_data_free (RouteData *data)
{
  g_free (data->uri);
  g_free (data);
}

static KontorPluginInfo *
find_handler (KontorPluginManager *self, const char *uri, const char *content_type)
{
  for (guint i = 0; i < self->infos->len; i++)
    {
      KontorPluginInfo *info = g_ptr_array_index (self->infos, i);

      if (kontor_plugin_info_get_state (info) == KONTOR_PLUGIN_STATE_LOADED &&
          kontor_plugin_handles_uri (kontor_plugin_info_get_plugin (info), uri, content_type))
        return info;
    }
  return NULL;
}

static void
return_handler (GTask *task, const char *uri, const char *content_type)
{
  KontorPluginManager *self = g_task_get_source_object (task);
  KontorPluginInfo *info = find_handler (self, uri, content_type);

  if (info == NULL)
    g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                             _ ("No enabled plugin can open “%s”"), uri);
  else
    g_task_return_pointer (task, g_object_ref (info), g_object_unref);
}

static void
query_info_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RouteData *data = g_task_get_task_data (task);
  g_autoptr (GFileInfo) file_info = NULL;
  g_autoptr (GError) error = NULL;

  file_info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (file_info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                                 _ ("The file “%s” does not exist"),
                                 g_file_peek_path (G_FILE (source)));
      else
        g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_FAILED, "%s", error->message);
      return;
    }

  return_handler (task, data->uri, g_file_info_get_content_type (file_info));
}

/**
 * kontor_plugin_manager_route_async:
 * @uri: an absolute URI or an absolute path
 *
 * Finds the loaded plugin that opens @uri: by URI scheme, or for a local file by its
 * content type (queried without blocking).
 */
void
kontor_plugin_manager_route_async (KontorPluginManager *self,
                                   const char *uri,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *scheme = NULL;
  RouteData *data;

  g_return_if_fail (KONTOR_IS_PLUGIN_MANAGER (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_plugin_manager_route_async);
  data = g_new0 (RouteData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) route_data_free);

  if (g_path_is_absolute (uri))
    data->uri = g_filename_to_uri (uri, NULL, NULL);
  else if ((scheme = g_uri_parse_scheme (uri)) != NULL)
    data->uri = g_strdup (uri);

  if (data->uri == NULL)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("“%s” is neither a URI nor an absolute file name"), uri);
      return;
    }

  g_clear_pointer (&scheme, g_free);
  scheme = g_uri_parse_scheme (data->uri);
  if (g_ascii_strcasecmp (scheme, "file") == 0)
    {
      g_autoptr (GFile) file = g_file_new_for_uri (data->uri);

      g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE, G_FILE_QUERY_INFO_NONE,
                               G_PRIORITY_DEFAULT, cancellable, query_info_cb,
                               g_steal_pointer (&task));
      return;
    }

  return_handler (task, data->uri, NULL);
}

/**
 * kontor_plugin_manager_route_finish:
 * @out_uri: (out) (optional): the URI to hand to the plugin (a path becomes file://)
 *
 * Returns: (transfer full): the plugin that opens the URI
 */
KontorPluginInfo *
kontor_plugin_manager_route_finish (KontorPluginManager *self,
                                    GAsyncResult *result,
                                    char **out_uri,
                                    GError **error)
{
  KontorPluginInfo *info;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, kontor_plugin_manager_route_async), NULL);

  info = g_task_propagate_pointer (G_TASK (result), error);
  if (info != NULL && out_uri != NULL)
    *out_uri = g_strdup (((RouteData *) g_task_get_task_data (G_TASK (result)))->uri);
  return info;
}
