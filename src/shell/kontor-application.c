/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-application.c: start-up, app-wide actions, command line and URI routing.
 * The same paths serve the window, the command line and the Shell1 D-Bus API. The
 * accounts' side is in kontor-application-accounts.c. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "kontor-application-private.h"
#include "kontor-preferences-window.h"

/* A D-Bus activated service lingers this long after its last call. */
#define SERVICE_INACTIVITY_TIMEOUT_MS 10000

G_DEFINE_FINAL_TYPE (KontorApplication, kontor_application, ADW_TYPE_APPLICATION)

static KontorWindow *
get_window (KontorApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return KONTOR_IS_WINDOW (window) ? KONTOR_WINDOW (window) : NULL;
}

KontorWindow *
kontor_application_ensure_window (KontorApplication *self)
{
  KontorWindow *window = get_window (self);

  if (window == NULL)
    window = kontor_window_new (self);
  return window;
}

static void
window_active_plugin_cb (KontorApplication *self)
{
  if (self->shell_service != NULL)
    kontor_shell_service_set_active_plugin (self->shell_service,
                                            kontor_application_get_active_plugin (self));
}

static void
window_added_cb (KontorApplication *self, GtkWindow *window)
{
  if (KONTOR_IS_WINDOW (window))
    g_signal_connect_object (window, "notify::active-plugin", G_CALLBACK (window_active_plugin_cb),
                             self, G_CONNECT_SWAPPED);
}

static void
quit_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Close rather than destroy, so each window saves its state as on a normal close. */
  for (GList *l = g_list_copy (windows), *next; l != NULL; l = next)
    {
      next = l->next;
      gtk_window_close (l->data);
      g_list_free_1 (l);
    }
  g_application_quit (G_APPLICATION (user_data));
}

static void
preferences_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorApplication *self = user_data;
  KontorWindow *window = kontor_application_ensure_window (self);
  KontorPreferencesWindow *prefs = kontor_preferences_window_new (self->plugin_manager);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
show_help_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorWindow) window = user_data;
  g_autoptr (GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      g_message ("Could not open the help: %s", error->message);
      kontor_window_show_toast (window,
                                _ ("The help could not be opened. Is a help viewer installed?"));
    }
}

static void
help_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorWindow *window = kontor_application_ensure_window (KONTOR_APPLICATION (user_data));

  gtk_show_uri_full (GTK_WINDOW (window), "help:kontor", GDK_CURRENT_TIME, NULL, show_help_cb,
                     g_object_ref (window));
}

static void
about_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorWindow *window = kontor_application_ensure_window (KONTOR_APPLICATION (user_data));
  static const char *developers[] = { "The Kontor developers", NULL };

  adw_show_about_window (GTK_WINDOW (window), "application-name", _ ("Kontor"), "application-icon",
                         APPLICATION_ID, "version", PACKAGE_VERSION, "developer-name",
                         _ ("The Kontor developers"), "developers", developers, "comments",
                         _ ("Mail, calendars, contacts and documents for open groupware"),
                         "website", "https://github.com/kontor/kontor", "issue-url",
                         "https://github.com/kontor/kontor/issues", "license-type",
                         GTK_LICENSE_GPL_3_0, "translator-credits", _ ("translator-credits"), NULL);
}

/* The demo workspace is set up by its own launcher; Kontor only starts it. */
static char *
dup_demo_launcher (void)
{
  const char *path = g_getenv ("KONTOR_DEMO_LAUNCHER");

  return g_strdup (path != NULL && *path != '\0' ? path : PKGLIBEXECDIR "/kontor-demo");
}

static void
enable_demo (KontorApplication *self)
{
  g_autofree char *launcher = dup_demo_launcher ();
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "open-demo");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               g_file_test (launcher, G_FILE_TEST_EXISTS));
}

static void
demo_exited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorApplication) self = user_data;
  g_autoptr (GError) error = NULL;

  if (g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  g_message ("The demo workspace failed: %s", error->message);
  kontor_window_show_toast (kontor_application_ensure_window (self),
                            _ ("The demo workspace could not be opened"));
}

static void
open_demo_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorApplication *self = user_data;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  /* The same build of Kontor, not whichever one is first in PATH. */
  g_autofree char *binary = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { binary != NULL ? binary : "kontor", "--demo", NULL };

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_ ("The demo workspace could not be opened: %s"), error->message);

      kontor_window_show_toast (kontor_application_ensure_window (self), message);
      return;
    }
  g_subprocess_wait_check_async (process, self->cancellable, demo_exited_cb, g_object_ref (self));
}

static void
open_file_routed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree char *uri = user_data;
  KontorApplication *self = KONTOR_APPLICATION (source);
  KontorWindow *window = kontor_application_ensure_window (self);
  g_autoptr (GError) error = NULL;

  if (kontor_application_open_uri_finish (self, result, &error))
    return;
  /* No Kontor plugin opens this type: the desktop's application for it does. */
  if (g_error_matches (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED))
    gtk_show_uri (GTK_WINDOW (window), uri, GDK_CURRENT_TIME);
  else
    kontor_window_show_toast (window, error->message);
}

/* app.open-file(s): a file a plugin hands on (a mail attachment, …), opened by the
 * plugin for its type, else by the desktop's default application. */
static void
open_file_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorApplication *self = user_data;
  const char *uri = g_variant_get_string (parameter, NULL);

  kontor_application_open_uri_async (self, uri, self->cancellable, open_file_routed_cb,
                                     g_strdup (uri));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb },           { "preferences", preferences_action_cb },
  { "help", help_action_cb },           { "about", about_action_cb },
  { "open-demo", open_demo_action_cb }, { "open-file", open_file_action_cb, "s" },
};

static void
context_open_uri_cb (KontorApplication *self, const char *uri)
{
  kontor_application_open_uri_async (self, uri, self->cancellable, NULL, NULL);
}

/* Called from dbus_register() when there is a bus, which comes before the bus name
 * is owned, so no script can see the name without Shell1; else from startup(). */
static void
ensure_services (KontorApplication *self, GDBusConnection *connection)
{
  if (self->context != NULL)
    return;

  self->settings = g_settings_new (APPLICATION_ID);
  self->context = kontor_context_new (self->settings, connection);
  g_signal_connect_object (self->context, "open-uri", G_CALLBACK (context_open_uri_cb), self,
                           G_CONNECT_SWAPPED);
  self->plugin_manager =
    kontor_plugin_manager_new (self->context, kontor_plugin_manager_get_default_directory ());
}

static void
load_plugins (KontorApplication *self)
{
  if (self->plugins_loaded)
    return;
  self->plugins_loaded = TRUE;
  kontor_plugin_manager_load_all (self->plugin_manager);
}

static gboolean
kontor_application_dbus_register (GApplication *application,
                                  GDBusConnection *connection,
                                  const char *object_path,
                                  GError **error)
{
  KontorApplication *self = KONTOR_APPLICATION (application);

  if (!G_APPLICATION_CLASS (kontor_application_parent_class)
         ->dbus_register (application, connection, object_path, error))
    return FALSE;

  ensure_services (self, connection);
  self->shell_service = kontor_shell_service_new (self);
  if (!kontor_shell_service_export (self->shell_service, connection, object_path, error) ||
      !kontor_application_export_accounts (self, connection, object_path, error))
    return FALSE;
  /* GDBus answers a call for an interface nobody registered at once, from its own
   * thread: plugins' interfaces (Mail1...) must be there before the name is owned, or
   * the call that D-Bus-activated us fails. Loading a plugin module touches no GTK. */
  load_plugins (self);
  return TRUE;
}

static void
kontor_application_dbus_unregister (GApplication *application,
                                    GDBusConnection *connection,
                                    const char *object_path)
{
  KontorApplication *self = KONTOR_APPLICATION (application);

  if (self->shell_service != NULL)
    kontor_shell_service_unexport (self->shell_service);
  kontor_application_unexport_accounts (self);

  G_APPLICATION_CLASS (kontor_application_parent_class)
    ->dbus_unregister (application, connection, object_path);
}

static void
kontor_application_startup (GApplication *application)
{
  KontorApplication *self = KONTOR_APPLICATION (application);
  GDBusConnection *connection = g_application_get_dbus_connection (application);
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.help", { "F1", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.switch-plugin(1)", { "<Control>1", "<Alt>1", NULL } },
    { "win.switch-plugin(2)", { "<Control>2", "<Alt>2", NULL } },
    { "win.switch-plugin(3)", { "<Control>3", "<Alt>3", NULL } },
    { "win.switch-plugin(4)", { "<Control>4", "<Alt>4", NULL } },
  };

  G_APPLICATION_CLASS (kontor_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  kontor_application_add_account_actions (self);
  enable_demo (self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  ensure_services (self, connection);

  /* Without a bus, dbus_register() did not load them. */
  load_plugins (self);

  g_signal_connect (self, "window-added", G_CALLBACK (window_added_cb), NULL);
}

static void
kontor_application_shutdown (GApplication *application)
{
  KontorApplication *self = KONTOR_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->plugin_manager != NULL)
    kontor_plugin_manager_unload_all (self->plugin_manager);
  if (self->context != NULL)
    kontor_context_shutdown (self->context);

  G_APPLICATION_CLASS (kontor_application_parent_class)->shutdown (application);
}

static void
kontor_application_activate (GApplication *application)
{
  gtk_window_present (
    GTK_WINDOW (kontor_application_ensure_window (KONTOR_APPLICATION (application))));
}

static void
open_file_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GApplication) application = user_data;
  g_autoptr (GError) error = NULL;

  if (!kontor_application_open_uri_finish (KONTOR_APPLICATION (source), result, &error))
    {
      KontorWindow *window = kontor_application_ensure_window (KONTOR_APPLICATION (source));

      g_message ("%s", error->message);
      kontor_window_show_toast (window, error->message);
      gtk_window_present (GTK_WINDOW (window));
    }
  g_application_release (application);
}

static void
kontor_application_open (GApplication *application, GFile **files, int n_files, const char *hint)
{
  KontorApplication *self = KONTOR_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      g_application_hold (application);
      kontor_application_open_uri_async (self, uri, self->cancellable, open_file_cb,
                                         g_object_ref (application));
    }
}

/* kontor --demo: becomes the demo launcher, which starts servers on this computer with
 * a demo organisation, a profile with its own session bus, and this kontor in it,
 * until Kontor quits. Its exit status is ours. */
static int
exec_demo (void)
{
  g_autofree char *launcher = dup_demo_launcher ();
  /* The same build of Kontor, not whichever one is first in PATH. */
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { launcher, self != NULL ? "--kontor" : NULL, self, NULL };

  execv (launcher, (char **) argv);
  g_printerr (_ ("The demo workspace could not be started (%s): %s\n"), launcher,
              g_strerror (errno));
  return 1;
}

static int
kontor_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "kontor", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    return exec_demo ();

  return -1;
}

static void
kontor_application_dispose (GObject *object)
{
  KontorApplication *self = KONTOR_APPLICATION (object);

  g_clear_weak_pointer (&self->assistant);
  g_clear_object (&self->shell_service);
  g_clear_object (&self->accounts_interface);
  g_clear_object (&self->accounts_impl);
  g_clear_object (&self->plugin_manager);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kontor_application_parent_class)->dispose (object);
}

static void
kontor_application_finalize (GObject *object)
{
  KontorApplication *self = KONTOR_APPLICATION (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kontor_application_parent_class)->finalize (object);
}

static void
kontor_application_class_init (KontorApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = kontor_application_dispose;
  object_class->finalize = kontor_application_finalize;

  app_class->dbus_register = kontor_application_dbus_register;
  app_class->dbus_unregister = kontor_application_dbus_unregister;
  app_class->startup = kontor_application_startup;
  app_class->shutdown = kontor_application_shutdown;
  app_class->activate = kontor_application_activate;
  app_class->open = kontor_application_open;
  app_class->handle_local_options = kontor_application_handle_local_options;
}

static void
kontor_application_init (KontorApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Try Kontor on a demo organisation, with servers on this computer"), NULL },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _ ("[URI…]"));
  g_application_set_option_context_summary (
    G_APPLICATION (self), _ ("Opens mail (mailto:, mid:), calendars, contacts and documents."));
}

KontorApplication *
kontor_application_new (void)
{
  return g_object_new (KONTOR_TYPE_APPLICATION, "application-id", APPLICATION_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, "resource-base-path", "/io/github/kontor/Kontor",
                       "inactivity-timeout", SERVICE_INACTIVITY_TIMEOUT_MS, NULL);
}

KontorContext *
kontor_application_get_context (KontorApplication *self)
{
  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), NULL);
  return self->context;
}

KontorPluginManager *
kontor_application_get_plugin_manager (KontorApplication *self)
{
  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), NULL);
  return self->plugin_manager;
}

/* The plugin shown in the main window, or "" without a window. */
const char *
kontor_application_get_active_plugin (KontorApplication *self)
{
  KontorWindow *window;

  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), "");

  window = get_window (self);
  return window != NULL ? kontor_window_get_active_plugin (window) : "";
}

/**
 * kontor_application_present_plugin:
 * @plugin_id: (nullable): a plugin id, or %NULL/"" for the last shown plugin
 *
 * Opens or raises the main window showing @plugin_id.
 */
gboolean
kontor_application_present_plugin (KontorApplication *self, const char *plugin_id, GError **error)
{
  KontorPluginInfo *info = NULL;
  KontorWindow *window;

  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), FALSE);

  if (plugin_id != NULL && *plugin_id != '\0')
    {
      info = kontor_plugin_manager_lookup (self->plugin_manager, plugin_id);
      if (info == NULL)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                       _ ("No plugin “%s” is installed"), plugin_id);
          return FALSE;
        }
      if (kontor_plugin_info_get_state (info) != KONTOR_PLUGIN_STATE_LOADED)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_PLUGIN_UNAVAILABLE,
                       _ ("The plugin “%s” is turned off or failed to load"),
                       kontor_plugin_info_get_title (info));
          return FALSE;
        }
    }

  window = kontor_application_ensure_window (self);
  if (info != NULL)
    kontor_window_show_plugin (window, plugin_id);
  gtk_window_present (GTK_WINDOW (window));
  return TRUE;
}

static void
route_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  KontorApplication *self = g_task_get_source_object (task);
  g_autoptr (KontorPluginInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL;

  info = kontor_plugin_manager_route_finish (KONTOR_PLUGIN_MANAGER (source), result, &uri, &error);
  if (info == NULL || !kontor_plugin_open_uri (kontor_plugin_info_get_plugin (info), uri, &error) ||
      !kontor_application_present_plugin (self, kontor_plugin_info_get_id (info), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * kontor_application_open_uri_async:
 * @uri: an absolute URI or an absolute path
 *
 * Hands @uri to the plugin that opens it and shows that plugin.
 */
void
kontor_application_open_uri_async (KontorApplication *self,
                                   const char *uri,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  GTask *task;

  g_return_if_fail (KONTOR_IS_APPLICATION (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_application_open_uri_async);
  kontor_plugin_manager_route_async (self->plugin_manager, uri, cancellable, route_cb, task);
}

gboolean
kontor_application_open_uri_finish (KontorApplication *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
