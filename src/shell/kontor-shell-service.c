/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-shell-service.c: implements Shell1 on top of the application and its plugin
 * manager, the same calls the window's own actions use. Each call holds the
 * application, so a D-Bus activated service stays up while scripts talk to it. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include "kontor-application.h"
#include "kontor-dbus-generated.h"
#include "kontor-shell-service.h"

struct _KontorShellService
{
  GObject parent_instance;

  /* Owned */
  KontorDBusShell1 *skeleton;

  /* Borrowed */
  KontorApplication *application;
  KontorPluginManager *plugin_manager;
};

G_DEFINE_FINAL_TYPE (KontorShellService, kontor_shell_service, G_TYPE_OBJECT)

/* Keeps the service alive for its inactivity timeout after each call. */
static void
touch_application (KontorShellService *self)
{
  g_application_hold (G_APPLICATION (self->application));
  g_application_release (G_APPLICATION (self->application));
}

static gboolean
handle_list_plugins_cb (KontorDBusShell1 *skeleton,
                        GDBusMethodInvocation *invocation,
                        KontorShellService *self)
{
  GVariantBuilder builder;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_manager));

  touch_application (self);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (KontorPluginInfo) info =
        g_list_model_get_item (G_LIST_MODEL (self->plugin_manager), i);

      g_variant_builder_add (&builder, "(sss)", kontor_plugin_info_get_id (info),
                             kontor_plugin_info_get_title (info),
                             kontor_plugin_info_get_state_name (info));
    }
  kontor_dbus_shell1_complete_list_plugins (skeleton, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_plugin_error_cb (KontorDBusShell1 *skeleton,
                            GDBusMethodInvocation *invocation,
                            const char *id,
                            KontorShellService *self)
{
  KontorPluginInfo *info = kontor_plugin_manager_lookup (self->plugin_manager, id);
  const char *message;

  touch_application (self);
  if (info == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                                             "No plugin “%s” is installed", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  message = kontor_plugin_info_get_error_message (info);
  kontor_dbus_shell1_complete_get_plugin_error (skeleton, invocation, message ? message : "");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_present_cb (KontorDBusShell1 *skeleton,
                   GDBusMethodInvocation *invocation,
                   const char *plugin,
                   KontorShellService *self)
{
  g_autoptr (GError) error = NULL;

  touch_application (self);
  if (!kontor_application_present_plugin (self->application, plugin, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    kontor_dbus_shell1_complete_present (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
open_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;

  if (!kontor_application_open_uri_finish (KONTOR_APPLICATION (source), result, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
  g_application_release (G_APPLICATION (source));
}

static gboolean
handle_open_cb (KontorDBusShell1 *skeleton,
                GDBusMethodInvocation *invocation,
                const char *uri,
                KontorShellService *self)
{
  touch_application (self);
  g_application_hold (G_APPLICATION (self->application));
  kontor_application_open_uri_async (self->application, uri, NULL, open_cb,
                                     g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_plugin_enabled_cb (KontorDBusShell1 *skeleton,
                              GDBusMethodInvocation *invocation,
                              const char *id,
                              gboolean enabled,
                              KontorShellService *self)
{
  g_autoptr (GError) error = NULL;

  touch_application (self);
  if (!kontor_plugin_manager_set_enabled (self->plugin_manager, id, enabled, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    kontor_dbus_shell1_complete_set_plugin_enabled (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
plugins_changed_cb (KontorShellService *self)
{
  kontor_dbus_shell1_emit_plugins_changed (self->skeleton);
}

static void
kontor_shell_service_dispose (GObject *object)
{
  KontorShellService *self = KONTOR_SHELL_SERVICE (object);

  kontor_shell_service_unexport (self);
  g_clear_object (&self->skeleton);

  G_OBJECT_CLASS (kontor_shell_service_parent_class)->dispose (object);
}

static void
kontor_shell_service_class_init (KontorShellServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kontor_shell_service_dispose;
}

static void
kontor_shell_service_init (KontorShellService *self)
{
  self->skeleton = kontor_dbus_shell1_skeleton_new ();
  kontor_dbus_shell1_set_version (self->skeleton, PACKAGE_VERSION);
  kontor_dbus_shell1_set_active_plugin (self->skeleton, "");

  g_signal_connect_object (self->skeleton, "handle-list-plugins",
                           G_CALLBACK (handle_list_plugins_cb), self, 0);
  g_signal_connect_object (self->skeleton, "handle-get-plugin-error",
                           G_CALLBACK (handle_get_plugin_error_cb), self, 0);
  g_signal_connect_object (self->skeleton, "handle-present", G_CALLBACK (handle_present_cb), self,
                           0);
  g_signal_connect_object (self->skeleton, "handle-open", G_CALLBACK (handle_open_cb), self, 0);
  g_signal_connect_object (self->skeleton, "handle-set-plugin-enabled",
                           G_CALLBACK (handle_set_plugin_enabled_cb), self, 0);
}

/* The application owns the service and outlives it. */
KontorShellService *
kontor_shell_service_new (KontorApplication *application)
{
  KontorShellService *self;

  g_return_val_if_fail (KONTOR_IS_APPLICATION (application), NULL);

  self = g_object_new (KONTOR_TYPE_SHELL_SERVICE, NULL);
  self->application = application;
  self->plugin_manager = kontor_application_get_plugin_manager (application);
  g_signal_connect_object (self->plugin_manager, "plugins-changed", G_CALLBACK (plugins_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return self;
}

gboolean
kontor_shell_service_export (KontorShellService *self,
                             GDBusConnection *connection,
                             const char *object_path,
                             GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SHELL_SERVICE (self), FALSE);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                           object_path, error);
}

/* Safe to call more than once. */
void
kontor_shell_service_unexport (KontorShellService *self)
{
  GDBusInterfaceSkeleton *skeleton;

  g_return_if_fail (KONTOR_IS_SHELL_SERVICE (self));

  skeleton = G_DBUS_INTERFACE_SKELETON (self->skeleton);
  if (skeleton != NULL && g_dbus_interface_skeleton_get_connection (skeleton) != NULL)
    g_dbus_interface_skeleton_unexport (skeleton);
}

void
kontor_shell_service_set_active_plugin (KontorShellService *self, const char *plugin_id)
{
  g_return_if_fail (KONTOR_IS_SHELL_SERVICE (self));

  kontor_dbus_shell1_set_active_plugin (self->skeleton, plugin_id ? plugin_id : "");
}
