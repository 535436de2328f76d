/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-preferences-window.c: the Accounts page comes first, from
 * libkontor-accounts-ui.so (kontor-accounts-page.c), which opening Preferences loads;
 * the Plugins page lists every installed plugin with a switch; a failed plugin shows
 * why. Switching goes through the plugin manager, the same path as
 * Shell1.SetPluginEnabled. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-preferences-window.h"
#include "kontor-application.h"

struct _KontorPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template widgets */
  AdwPreferencesPage *plugins_page;
  AdwPreferencesGroup *plugins_group;
  GtkListBox *plugins_list;

  /* Owned */
  KontorPluginManager *plugin_manager;
};

G_DEFINE_FINAL_TYPE (KontorPreferencesWindow,
                     kontor_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static char *
describe_state (KontorPluginInfo *info)
{
  switch (kontor_plugin_info_get_state (info))
    {
      case KONTOR_PLUGIN_STATE_LOADED:
        return g_strdup (C_ ("plugin state", "On"));
      case KONTOR_PLUGIN_STATE_DISABLED:
        return g_strdup (C_ ("plugin state", "Off"));
      case KONTOR_PLUGIN_STATE_FAILED:
      default:
        return g_strdup_printf (_ ("Could not be loaded: %s"),
                                kontor_plugin_info_get_error_message (info));
    }
}

static void
switch_active_cb (GtkSwitch *toggle, GParamSpec *pspec, KontorPreferencesWindow *self)
{
  KontorPluginInfo *info = g_object_get_data (G_OBJECT (toggle), "kontor-plugin-info");
  g_autoptr (GError) error = NULL;
  gboolean active = gtk_switch_get_active (toggle);

  if (active == (kontor_plugin_info_get_state (info) == KONTOR_PLUGIN_STATE_LOADED))
    return;

  if (!kontor_plugin_manager_set_enabled (self->plugin_manager, kontor_plugin_info_get_id (info),
                                          active, &error))
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
    }
}

static void
info_state_cb (KontorPluginInfo *info, GParamSpec *pspec, AdwActionRow *row)
{
  GtkSwitch *toggle = g_object_get_data (G_OBJECT (row), "kontor-switch");
  g_autofree char *subtitle = describe_state (info);

  adw_action_row_set_subtitle (row, subtitle);
  gtk_switch_set_active (toggle, kontor_plugin_info_get_state (info) == KONTOR_PLUGIN_STATE_LOADED);
  if (kontor_plugin_info_get_state (info) == KONTOR_PLUGIN_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  KontorPreferencesWindow *self = user_data;
  KontorPluginInfo *info = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  /* Titles and error messages are plain text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kontor_plugin_info_get_title (info));
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), kontor_plugin_info_get_icon_name (info));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  kontor_plugin_info_get_title (info), -1);
  /* A module that could not even be opened cannot be turned on. */
  gtk_widget_set_sensitive (toggle, kontor_plugin_info_get_plugin (info) != NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);

  g_object_set_data (G_OBJECT (row), "kontor-switch", toggle);
  g_object_set_data_full (G_OBJECT (toggle), "kontor-plugin-info", g_object_ref (info),
                          g_object_unref);
  info_state_cb (info, NULL, ADW_ACTION_ROW (row));
  g_signal_connect_object (info, "notify::state", G_CALLBACK (info_state_cb), row, 0);
  g_signal_connect_object (info, "notify::error-message", G_CALLBACK (info_state_cb), row, 0);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (switch_active_cb), self, 0);

  return row;
}

/* Only when libkontor-accounts-ui.so or libkontor-services.so cannot be opened. */
static GtkWidget *
accounts_error_page_new (const GError *error)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _ ("Accounts"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "avatar-default-symbolic");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Accounts"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), error->message);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  return page;
}

static void
add_accounts_page (KontorPreferencesWindow *self, KontorApplication *application)
{
  g_autoptr (GError) error = NULL;
  const KontorAccountsUi *ui;
  KontorAccountService *service;
  GtkWidget *page;

  ui = kontor_application_ensure_accounts (application, &service, &error);
  if (ui != NULL)
    page = ui->accounts_page_new (service);
  else
    {
      g_warning ("%s", error->message);
      page = accounts_error_page_new (error);
    }
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

static void
kontor_preferences_window_dispose (GObject *object)
{
  KontorPreferencesWindow *self = KONTOR_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->plugin_manager);

  G_OBJECT_CLASS (kontor_preferences_window_parent_class)->dispose (object);
}

static void
kontor_preferences_window_class_init (KontorPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/kontor/Kontor/kontor-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorPreferencesWindow, plugins_page);
  gtk_widget_class_bind_template_child (widget_class, KontorPreferencesWindow, plugins_group);
  gtk_widget_class_bind_template_child (widget_class, KontorPreferencesWindow, plugins_list);
}

static void
kontor_preferences_window_init (KontorPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KontorPreferencesWindow *
kontor_preferences_window_new (KontorPluginManager *plugin_manager)
{
  KontorPreferencesWindow *self;
  GApplication *application;
  GtkWidget *placeholder;

  g_return_val_if_fail (KONTOR_IS_PLUGIN_MANAGER (plugin_manager), NULL);

  self = g_object_new (KONTOR_TYPE_PREFERENCES_WINDOW, NULL);
  self->plugin_manager = g_object_ref (plugin_manager);

  /* The accounts are the application's, like the plugin manager. This window is not
   * one of the application's, so its rows reach app.add-account only like this. */
  application = g_application_get_default ();
  if (KONTOR_IS_APPLICATION (application))
    {
      gtk_widget_insert_action_group (GTK_WIDGET (self), "app", G_ACTION_GROUP (application));
      add_accounts_page (self, KONTOR_APPLICATION (application));
    }
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), self->plugins_page);

  placeholder = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (placeholder), _ ("No plugins are installed"));
  gtk_list_box_set_placeholder (self->plugins_list, placeholder);
  gtk_list_box_bind_model (self->plugins_list, G_LIST_MODEL (plugin_manager), create_row, self,
                           NULL);
  return self;
}
