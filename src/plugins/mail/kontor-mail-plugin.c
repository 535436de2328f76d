/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-plugin.c: the Mail plugin as the shell sees it, opened at start-up and
 * so kept small: it links neither Camel nor WebKit. Everything else is in
 * libkontor-mail.so, opened when the page is first shown, a mid: link or Mail1 call
 * comes, or a moment after start-up so new mail is noticed. Mail1 is on the bus from
 * the start through a KontorLazyInterface. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "kontor-core.h"
#include "kontor-dbus-generated.h"
#include "kontor-library.h"
#include "kontor-mail-runtime.h"

#define RUNTIME_START_DELAY_MS 1500

typedef struct
{
  GObject parent_instance;

  KontorContext *context;
  GSimpleActionGroup *actions;
  KontorLazyInterface *dbus;
  const KontorMailRuntimeTable *table;
  KontorMailRuntime *runtime;
  guint start_id;
} KontorMailPlugin;

typedef GObjectClass KontorMailPluginClass;

static void plugin_iface_init (KontorPluginInterface *iface);
GType kontor_mail_plugin_get_type (void);

G_DEFINE_FINAL_TYPE_WITH_CODE (KontorMailPlugin,
                               kontor_mail_plugin,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KONTOR_TYPE_PLUGIN, plugin_iface_init))

static KontorMailRuntime *
ensure_runtime (KontorMailPlugin *self, GError **error)
{
  g_clear_handle_id (&self->start_id, g_source_remove);
  if (self->runtime != NULL)
    return self->runtime;
  if (self->table == NULL)
    {
      const KontorMailRuntimeTable *(*get_table) (void) =
        kontor_library_lookup (KONTOR_MAIL_LIBRARY, KONTOR_MAIL_RUNTIME_SYMBOL, error);

      if (get_table == NULL)
        return NULL;
      self->table = get_table ();
    }
  self->runtime = self->table->start (self->context);
  if (self->runtime == NULL)
    g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                 _ ("Mail cannot start: the account service is not available"));
  return self->runtime;
}

static gboolean
start_runtime_cb (gpointer data)
{
  KontorMailPlugin *self = data;
  g_autoptr (GError) error = NULL;

  self->start_id = 0;
  if (ensure_runtime (self, &error) == NULL)
    g_warning ("%s", error->message);
  return G_SOURCE_REMOVE;
}

static GDBusInterfaceSkeleton *
load_dbus_cb (gpointer user_data, GError **error)
{
  KontorMailPlugin *self = user_data;
  KontorMailRuntime *runtime = ensure_runtime (self, error);

  return runtime != NULL ? g_object_ref (self->table->dbus_skeleton (runtime, error)) : NULL;
}

static gboolean
kontor_mail_plugin_load (KontorPlugin *plugin, KontorContext *context, GError **error)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;

  self->context = g_object_ref (context);
  self->dbus =
    kontor_lazy_interface_new (kontor_dbus_mail1_interface_info (), load_dbus_cb, self, NULL);
  /* Scripts call Mail1 in bursts: the stub stays, Mail1 sends its signals itself. */
  kontor_lazy_interface_set_keep_stub (self->dbus, TRUE);
  self->start_id = g_timeout_add (RUNTIME_START_DELAY_MS, start_runtime_cb, self);
  return TRUE;
}

static void
kontor_mail_plugin_unload (KontorPlugin *plugin)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;

  g_clear_handle_id (&self->start_id, g_source_remove);
  if (self->dbus != NULL)
    kontor_lazy_interface_unexport (self->dbus);
  g_clear_object (&self->dbus);
  if (self->runtime != NULL)
    self->table->stop (self->runtime);
  self->runtime = NULL;
  g_clear_object (&self->context);
}

static const char *
kontor_mail_plugin_get_title (KontorPlugin *plugin)
{
  return _ ("Mail");
}

static const char *
kontor_mail_plugin_get_icon_name (KontorPlugin *plugin)
{
  return "mail-unread-symbolic";
}

static int
kontor_mail_plugin_get_order (KontorPlugin *plugin)
{
  return 10;
}

static void
fill_page (KontorMailPlugin *self, AdwBin *bin)
{
  g_autoptr (GError) error = NULL;
  KontorMailRuntime *runtime = ensure_runtime (self, &error);
  GObject *page;

  if (runtime == NULL)
    {
      GtkWidget *status = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _ ("Mail Is Not Available"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status), error->message);
      adw_bin_set_child (bin, status);
      return;
    }
  page = self->table->create_page (runtime);
  adw_bin_set_child (bin, GTK_WIDGET (page));
}

static gboolean
fill_page_cb (gpointer data)
{
  AdwBin *bin = data;
  KontorMailPlugin *self = g_object_get_data (G_OBJECT (bin), "plugin");

  if (self != NULL)
    fill_page (self, bin);
  return G_SOURCE_REMOVE;
}

/* Shown at start-up, the page is an empty frame for its first paint; Camel, WebKit
 * and the page come right after it, at low priority, so the window appears at once. */
static void
page_mapped_cb (AdwBin *bin, KontorMailPlugin *self)
{
  g_signal_handlers_disconnect_by_func (bin, page_mapped_cb, self);
  g_idle_add_full (G_PRIORITY_LOW, fill_page_cb, g_object_ref (bin), g_object_unref);
}

static GObject *
kontor_mail_plugin_create_page (KontorPlugin *plugin)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;
  AdwBin *bin = ADW_BIN (adw_bin_new ());

  g_object_set_data (G_OBJECT (bin), "plugin", self);
  if (self->runtime != NULL)
    fill_page (self, bin);
  else
    g_signal_connect (bin, "map", G_CALLBACK (page_mapped_cb), self);
  return G_OBJECT (bin);
}

static GActionGroup *
kontor_mail_plugin_get_action_group (KontorPlugin *plugin)
{
  return G_ACTION_GROUP (((KontorMailPlugin *) plugin)->actions);
}

static const char *const *
kontor_mail_plugin_get_uri_schemes (KontorPlugin *plugin)
{
  static const char *const schemes[] = { "mid", "mailto", "kontor-mail-id", NULL };

  return schemes;
}

static const char *const *
kontor_mail_plugin_get_mime_types (KontorPlugin *plugin)
{
  static const char *const types[] = { "message/rfc822", NULL };

  return types;
}

static gboolean
kontor_mail_plugin_open_uri (KontorPlugin *plugin, const char *uri, GError **error)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;
  KontorMailRuntime *runtime = ensure_runtime (self, error);

  return runtime != NULL && self->table->open_uri (runtime, uri, error);
}

static gboolean
kontor_mail_plugin_export_dbus (KontorPlugin *plugin,
                                GDBusConnection *connection,
                                const char *object_path,
                                GError **error)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;

  return kontor_lazy_interface_export (self->dbus, connection, object_path, error);
}

static void
kontor_mail_plugin_unexport_dbus (KontorPlugin *plugin)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;

  if (self->dbus != NULL)
    kontor_lazy_interface_unexport (self->dbus);
}

static void
plugin_iface_init (KontorPluginInterface *iface)
{
  iface->load = kontor_mail_plugin_load;
  iface->unload = kontor_mail_plugin_unload;
  iface->get_title = kontor_mail_plugin_get_title;
  iface->get_icon_name = kontor_mail_plugin_get_icon_name;
  iface->get_order = kontor_mail_plugin_get_order;
  iface->create_page = kontor_mail_plugin_create_page;
  iface->get_action_group = kontor_mail_plugin_get_action_group;
  iface->get_uri_schemes = kontor_mail_plugin_get_uri_schemes;
  iface->get_mime_types = kontor_mail_plugin_get_mime_types;
  iface->open_uri = kontor_mail_plugin_open_uri;
  iface->export_dbus = kontor_mail_plugin_export_dbus;
  iface->unexport_dbus = kontor_mail_plugin_unexport_dbus;
}

static void
kontor_mail_plugin_dispose (GObject *object)
{
  kontor_mail_plugin_unload (KONTOR_PLUGIN (object));
  g_clear_object (&((KontorMailPlugin *) object)->actions);

  G_OBJECT_CLASS (kontor_mail_plugin_parent_class)->dispose (object);
}

static void
kontor_mail_plugin_class_init (KontorMailPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kontor_mail_plugin_dispose;
}

static void
kontor_mail_plugin_init (KontorMailPlugin *self)
{
  self->actions = g_simple_action_group_new ();
}

G_MODULE_EXPORT void g_io_module_load (GIOModule *module);
G_MODULE_EXPORT void g_io_module_unload (GIOModule *module);

G_MODULE_EXPORT void
g_io_module_load (GIOModule *module)
{
  /* Types registered statically: the module stays loaded for the process. */
  g_type_module_use (G_TYPE_MODULE (module));
  g_io_extension_point_implement (KONTOR_PLUGIN_EXTENSION_POINT, kontor_mail_plugin_get_type (),
                                  "mail", 0);
}

G_MODULE_EXPORT void
g_io_module_unload (GIOModule *module)
{
}
