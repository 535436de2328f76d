/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-window.c: the main window. One AdwViewStack page per loaded plugin; a page's
 * content is asked of the plugin only when the page is first shown. Without an account
 * a bar above the plugins (KontorFirstRunBar) says that Kontor works on this computer
 * alone; the accounts, and the libraries they need, are loaded only after the first
 * frame, and the bar is made only when there is none, so start-up pays for neither. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-window.h"
#include "kontor-first-run-bar.h"

struct _KontorWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkBox *content_box;
  AdwHeaderBar *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  GtkStack *main_stack;
  AdwViewStack *view_stack;
  AdwStatusPage *empty_page;
  GtkButton *empty_button;

  /* Owned */
  GSettings *settings;
  GPtrArray *action_group_ids;
  GCancellable *cancellable;

  /* Borrowed */
  KontorFirstRunBar *first_run_bar; /* made when first needed */
  KontorPluginManager *plugin_manager;
  KontorAccountService *account_service; /* once the accounts are loaded */
  const KontorAccountsUi *accounts_ui;

  guint load_accounts_id;
  gboolean restoring;
  gboolean accounts_requested;
  gboolean accounts_loaded;
  gboolean first_run_dismissed;
};

G_DEFINE_FINAL_TYPE (KontorWindow, kontor_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_ACTIVE_PLUGIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ensure_page_content (KontorWindow *self, const char *plugin_id)
{
  KontorPluginInfo *info = kontor_plugin_manager_lookup (self->plugin_manager, plugin_id);
  AdwBin *holder = ADW_BIN (adw_view_stack_get_child_by_name (self->view_stack, plugin_id));
  GObject *page;

  if (info == NULL || holder == NULL || adw_bin_get_child (holder) != NULL)
    return;

  page = kontor_plugin_create_page (kontor_plugin_info_get_plugin (info));
  if (page != NULL && GTK_IS_WIDGET (page))
    adw_bin_set_child (holder, GTK_WIDGET (page));
  else
    {
      GtkWidget *status = adw_status_page_new ();

      g_warning ("Plugin “%s” returned no page widget", plugin_id);
      g_clear_object (&page);
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _ ("This View Could Not Be Shown"));
      adw_status_page_set_description (
        ADW_STATUS_PAGE (status),
        _ ("The plugin did not provide its view. See the log for details."));
      adw_bin_set_child (holder, status);
    }
}

static void
visible_child_cb (KontorWindow *self)
{
  const char *id = adw_view_stack_get_visible_child_name (self->view_stack);

  if (id != NULL)
    {
      ensure_page_content (self, id);
      g_autofree char *last = g_settings_get_string (self->settings, "last-plugin");

      /* Writing costs a settings round trip; skip it at start-up and when unchanged. */
      if (!self->restoring && g_strcmp0 (last, id) != 0)
        g_settings_set_string (self->settings, "last-plugin", id);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_PLUGIN]);
}

static void
update_empty_state (KontorWindow *self, guint n_loaded)
{
  guint n_installed = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_manager));

  if (n_loaded > 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "plugins");
      return;
    }

  if (n_installed == 0)
    {
      g_autofree char *description =
        g_strdup_printf (_ ("Kontor shows mail, calendars, contacts and documents through plugins, "
                            "but none was found in %s. Reinstall Kontor to get its plugins."),
                         kontor_plugin_manager_get_directory (self->plugin_manager));

      adw_status_page_set_title (self->empty_page, _ ("No Plugins Installed"));
      adw_status_page_set_description (self->empty_page, description);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_button), FALSE);
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _ ("All Plugins Are Turned Off"));
      adw_status_page_set_description (self->empty_page,
                                       _ ("Turn a plugin on in Preferences, where you can also see "
                                          "why a plugin could not be loaded."));
      gtk_widget_set_visible (GTK_WIDGET (self->empty_button), TRUE);
    }
  gtk_stack_set_visible_child_name (self->main_stack, "empty");
}

/* Rebuilds the pages in the manager's order, keeping the widgets of pages that stay
 * (AdwViewStack 1.2 can only append). */
static void
sync_pages (KontorWindow *self)
{
  g_autoptr (GHashTable) kept =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autofree char *visible = g_strdup (adw_view_stack_get_visible_child_name (self->view_stack));
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_manager));
  GtkWidget *child;
  guint n_loaded = 0;

  self->restoring = TRUE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->view_stack))) != NULL)
    {
      AdwViewStackPage *page = adw_view_stack_get_page (self->view_stack, child);

      g_hash_table_insert (kept, g_strdup (adw_view_stack_page_get_name (page)),
                           g_object_ref (child));
      adw_view_stack_remove (self->view_stack, child);
    }

  for (guint i = 0; i < self->action_group_ids->len; i++)
    gtk_widget_insert_action_group (GTK_WIDGET (self), self->action_group_ids->pdata[i], NULL);
  g_ptr_array_set_size (self->action_group_ids, 0);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (KontorPluginInfo) info =
        g_list_model_get_item (G_LIST_MODEL (self->plugin_manager), i);
      const char *id = kontor_plugin_info_get_id (info);
      GActionGroup *group;
      AdwViewStackPage *page;

      if (kontor_plugin_info_get_state (info) != KONTOR_PLUGIN_STATE_LOADED)
        continue;

      child = g_hash_table_lookup (kept, id);
      if (child == NULL)
        child = adw_bin_new ();
      page = adw_view_stack_add_titled (self->view_stack, child, id,
                                        kontor_plugin_info_get_title (info));
      adw_view_stack_page_set_icon_name (page, kontor_plugin_info_get_icon_name (info));

      group = kontor_plugin_get_action_group (kontor_plugin_info_get_plugin (info));
      if (group != NULL)
        {
          gtk_widget_insert_action_group (GTK_WIDGET (self), id, group);
          g_ptr_array_add (self->action_group_ids, g_strdup (id));
        }
      n_loaded++;
    }

  if (visible == NULL || adw_view_stack_get_child_by_name (self->view_stack, visible) == NULL)
    {
      g_free (visible);
      visible = g_settings_get_string (self->settings, "last-plugin");
    }
  if (adw_view_stack_get_child_by_name (self->view_stack, visible) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, visible);

  update_empty_state (self, n_loaded);
  visible_child_cb (self);
  self->restoring = FALSE;
}

static void
switch_plugin_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  int index = g_variant_get_int32 (parameter);
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->view_stack));

  for (int i = 1; child != NULL && i < index; i++)
    child = gtk_widget_get_next_sibling (child);

  if (child == NULL || index < 1)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  adw_view_stack_set_visible_child (self->view_stack, child);
}

static void
report_failed_plugins (KontorWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_manager));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (KontorPluginInfo) info =
        g_list_model_get_item (G_LIST_MODEL (self->plugin_manager), i);
      g_autofree char *title = NULL;
      AdwToast *toast;

      if (kontor_plugin_info_get_state (info) != KONTOR_PLUGIN_STATE_FAILED)
        continue;

      /* Toast titles are markup. */
      title = g_markup_printf_escaped (_ ("The plugin “%s” could not be loaded"),
                                       kontor_plugin_info_get_title (info));
      toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, _ ("_Details"));
      adw_toast_set_action_name (toast, "app.preferences");
      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

/* The demo is offered only where its launcher is installed. */
static void
demo_enabled_cb (KontorWindow *self)
{
  GApplication *application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (self->first_run_bar != NULL)
    kontor_first_run_bar_set_demo_visible (
      self->first_run_bar, application != NULL && g_action_group_get_action_enabled (
                                                    G_ACTION_GROUP (application), "open-demo"));
}

static void
update_first_run (KontorWindow *self)
{
  gboolean reveal = self->accounts_loaded && !self->first_run_dismissed &&
                    g_list_model_get_n_items (G_LIST_MODEL (self->account_service)) == 0;

  if (self->first_run_bar == NULL)
    {
      if (!reveal)
        return;
      self->first_run_bar = kontor_first_run_bar_new ();
      gtk_box_insert_child_after (self->content_box, GTK_WIDGET (self->first_run_bar),
                                  GTK_WIDGET (self->header_bar));
      demo_enabled_cb (self);
    }

  if (reveal != kontor_first_run_bar_get_revealed (self->first_run_bar))
    g_debug ("First-run bar %s", reveal ? "shown" : "hidden");
  kontor_first_run_bar_set_revealed (self->first_run_bar, reveal);
}

static void
dismiss_first_run_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorWindow *self = KONTOR_WINDOW (widget);

  self->first_run_dismissed = TRUE;
  update_first_run (self);
}

static void
accounts_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!self->accounts_ui->load_accounts_finish ((KontorAccountService *) source, result, &error))
    {
      /* Preferences ▸ Accounts says why; the bar would promise what cannot work. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The accounts could not be loaded: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->accounts_loaded = TRUE;
  g_signal_connect_object (self->account_service, "items-changed", G_CALLBACK (update_first_run),
                           self, G_CONNECT_SWAPPED);
  update_first_run (self);
}

/* This opens libkontor-accounts-ui.so and libkontor-services.so. */
static gboolean
load_accounts_cb (gpointer user_data)
{
  KontorWindow *self = user_data;
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr (GError) error = NULL;

  self->load_accounts_id = 0;
  if (!KONTOR_IS_APPLICATION (application))
    return G_SOURCE_REMOVE;
  self->accounts_ui = kontor_application_ensure_accounts (KONTOR_APPLICATION (application),
                                                          &self->account_service, &error);
  if (self->accounts_ui == NULL)
    {
      g_warning ("%s", error->message);
      return G_SOURCE_REMOVE;
    }
  self->accounts_ui->load_accounts_async (self->account_service, self->cancellable,
                                          accounts_loaded_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GdkFrameClock *clock, KontorWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, self);
  if (self->accounts_requested)
    return;
  self->accounts_requested = TRUE;
  self->load_accounts_id = g_idle_add (load_accounts_cb, self);
}

static void
after_first_paint_cb (GdkFrameClock *clock, KontorWindow *self)
{
  /* For tests/bench: the moment the first frame of the window was drawn. */
  g_print ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, after_first_paint_cb, self);
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

static void
kontor_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kontor_window_parent_class)->map (widget);

  if (!KONTOR_WINDOW (widget)->accounts_requested)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (first_paint_cb), widget, 0);

  if (g_getenv ("KONTOR_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                      G_CALLBACK (after_first_paint_cb), widget);
}

static gboolean
kontor_window_close_request (GtkWindow *window)
{
  KontorWindow *self = KONTOR_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (kontor_window_parent_class)->close_request (window);
}

static void
kontor_window_dispose (GObject *object)
{
  KontorWindow *self = KONTOR_WINDOW (object);

  if (self->plugin_manager != NULL)
    g_signal_handlers_disconnect_by_data (self->plugin_manager, self);
  self->plugin_manager = NULL;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->load_accounts_id, g_source_remove);
  if (self->account_service != NULL)
    g_signal_handlers_disconnect_by_data (self->account_service, self);
  self->account_service = NULL;
  self->first_run_bar = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_WINDOW);

  G_OBJECT_CLASS (kontor_window_parent_class)->dispose (object);
}

static void
kontor_window_finalize (GObject *object)
{
  KontorWindow *self = KONTOR_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->action_group_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (kontor_window_parent_class)->finalize (object);
}

static void
kontor_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_ACTIVE_PLUGIN:
        g_value_set_string (value, kontor_window_get_active_plugin (KONTOR_WINDOW (object)));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_window_class_init (KontorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kontor_window_dispose;
  object_class->finalize = kontor_window_finalize;
  object_class->get_property = kontor_window_get_property;
  widget_class->map = kontor_window_map;
  window_class->close_request = kontor_window_close_request;

  properties[PROP_ACTIVE_PLUGIN] =
    g_param_spec_string ("active-plugin", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kontor/Kontor/kontor-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, empty_button);

  gtk_widget_class_install_action (widget_class, "win.switch-plugin", "i", switch_plugin_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-first-run", NULL,
                                   dismiss_first_run_action);
}

static void
kontor_window_init (KontorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->action_group_ids = g_ptr_array_new_with_free_func (g_free);
  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  g_signal_connect_object (self->view_stack, "notify::visible-child", G_CALLBACK (visible_child_cb),
                           self, G_CONNECT_SWAPPED);
}

KontorWindow *
kontor_window_new (KontorApplication *application)
{
  KontorWindow *self;

  g_return_val_if_fail (KONTOR_IS_APPLICATION (application), NULL);

  self = g_object_new (KONTOR_TYPE_WINDOW, "application", application, NULL);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->plugin_manager = kontor_application_get_plugin_manager (application);
  g_signal_connect_object (self->plugin_manager, "plugins-changed", G_CALLBACK (sync_pages), self,
                           G_CONNECT_SWAPPED);
  sync_pages (self);
  report_failed_plugins (self);

  g_signal_connect_object (application, "action-enabled-changed::open-demo",
                           G_CALLBACK (demo_enabled_cb), self, G_CONNECT_SWAPPED);
  demo_enabled_cb (self);
  return self;
}

/* The id of the plugin shown, or "" when none is. */
const char *
kontor_window_get_active_plugin (KontorWindow *self)
{
  const char *name;

  g_return_val_if_fail (KONTOR_IS_WINDOW (self), "");

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "plugins") != 0)
    return "";
  name = adw_view_stack_get_visible_child_name (self->view_stack);
  return name != NULL ? name : "";
}

void
kontor_window_show_plugin (KontorWindow *self, const char *plugin_id)
{
  g_return_if_fail (KONTOR_IS_WINDOW (self));
  g_return_if_fail (plugin_id != NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, plugin_id) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, plugin_id);
}

void
kontor_window_show_toast (KontorWindow *self, const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (KONTOR_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  /* The answer to what the user just did goes before older, lasting notices. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
