/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-preferences.c: Mail's own preferences: when a shown message counts as
 * read, how much mail is kept whole for offline reading, how long Undo Send waits,
 * and which senders may load remote content. All of it lives in GSettings, so a change applies at
 * once. The addresses mail is sent from have a page of their own: a list that grows
 * with every account and alias, reached from the window's view switcher. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-identities.h"
#include "kontor-mail-page-private.h"

static const guint read_delays[] = { 0, 2, 5, G_MAXUINT };
static const int offline_days[] = { 0, 7, 30, 90, 365, -1 };
static const guint undo_delays[] = { 0, 5, 10, 20, 30 };

static guint
index_of_uint (const guint *values, guint n, guint value, guint fallback)
{
  for (guint i = 0; i < n; i++)
    if (values[i] == value)
      return i;
  return fallback;
}

static guint
index_of_int (const int *values, guint n, int value, guint fallback)
{
  for (guint i = 0; i < n; i++)
    if (values[i] == value)
      return i;
  return fallback;
}

static void
read_delay_changed_cb (AdwComboRow *row, GParamSpec *pspec, GSettings *settings)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected < G_N_ELEMENTS (read_delays))
    g_settings_set_uint (settings, "mail-mark-read-delay", read_delays[selected]);
}

static void
offline_days_changed_cb (AdwComboRow *row, GParamSpec *pspec, KontorMailPage *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected >= G_N_ELEMENTS (offline_days))
    return;
  g_settings_set_int (self->settings, "mail-offline-days", offline_days[selected]);
  kontor_mail_engine_set_body_days (self->engine, offline_days[selected]);
}

static void
undo_delay_changed_cb (AdwComboRow *row, GParamSpec *pspec, GSettings *settings)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected < G_N_ELEMENTS (undo_delays))
    g_settings_set_uint (settings, "mail-undo-send-delay", undo_delays[selected]);
}

static void fill_senders (AdwPreferencesGroup *group, GSettings *settings);

static void
forget_sender_cb (GtkButton *button, GSettings *settings)
{
  const char *sender = g_object_get_data (G_OBJECT (button), "sender");
  g_auto (GStrv) senders = g_settings_get_strv (settings, "mail-remote-content-senders");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) kept = NULL;
  GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_PREFERENCES_GROUP);

  for (guint i = 0; senders[i] != NULL; i++)
    if (g_strcmp0 (senders[i], sender) != 0)
      g_strv_builder_add (builder, senders[i]);
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "mail-remote-content-senders", (const char *const *) kept);
  if (group != NULL)
    fill_senders (ADW_PREFERENCES_GROUP (group), settings);
}

static void
fill_senders (AdwPreferencesGroup *group, GSettings *settings)
{
  g_auto (GStrv) senders = g_settings_get_strv (settings, "mail-remote-content-senders");
  GPtrArray *rows = g_object_get_data (G_OBJECT (group), "rows");

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  rows = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (group), "rows", rows, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; senders[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *tooltip =
        g_strdup_printf (_ ("Block remote content from %s again"), senders[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), senders[i]);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tooltip, -1);
      g_object_set_data_full (G_OBJECT (button), "sender", g_strdup (senders[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (forget_sender_cb), settings);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (rows, row);
    }
  adw_preferences_group_set_description (
    group, senders[0] == NULL ? _ ("Remote content is blocked for every sender.") : NULL);
}

static AdwComboRow *
combo_row_new (const char *title, const char *subtitle, const char *const *choices)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
  g_autoptr (GtkStringList) model = gtk_string_list_new (choices);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  return row;
}

void
kontor_mail_page_show_preferences (KontorMailPage *self)
{
  AdwPreferencesWindow *window = ADW_PREFERENCES_WINDOW (adw_preferences_window_new ());
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *reading = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *senders = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *composing = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *rich_row = adw_action_row_new ();
  GtkWidget *rich_switch = gtk_switch_new ();
  const char *delays[] = { _ ("At once"), _ ("After 2 seconds"), _ ("After 5 seconds"), _ ("Never"),
                           NULL };
  const char *days[] = {
    _ ("None"), _ ("Last week"), _ ("Last month"), _ ("Last 3 months"), _ ("Last year"), _ ("All"),
    NULL
  };
  AdwComboRow *delay_row =
    combo_row_new (_ ("Mark as Read"), _ ("When a shown message counts as read"), delays);
  AdwComboRow *days_row = combo_row_new (_ ("Download for Offline Reading"),
                                         _ ("Whole messages kept on this computer"), days);
  AdwPreferencesGroup *sending = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const char *undo[] = { _ ("Off"),        _ ("5 seconds"),  _ ("10 seconds"),
                         _ ("20 seconds"), _ ("30 seconds"), NULL };
  AdwComboRow *undo_row = combo_row_new (
    _ ("Undo Send"), _ ("How long a sent message waits, during which Undo takes it back"), undo);

  gtk_window_set_title (GTK_WINDOW (window), _ ("Mail Preferences"));
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  adw_preferences_window_set_search_enabled (window, FALSE);

  adw_preferences_group_set_title (reading, _ ("Reading"));
  adw_combo_row_set_selected (
    delay_row, index_of_uint (read_delays, G_N_ELEMENTS (read_delays),
                              g_settings_get_uint (self->settings, "mail-mark-read-delay"), 1));
  adw_combo_row_set_selected (
    days_row, index_of_int (offline_days, G_N_ELEMENTS (offline_days),
                            g_settings_get_int (self->settings, "mail-offline-days"), 2));
  g_signal_connect_object (delay_row, "notify::selected", G_CALLBACK (read_delay_changed_cb),
                           self->settings, 0);
  g_signal_connect_object (days_row, "notify::selected", G_CALLBACK (offline_days_changed_cb), self,
                           0);
  adw_preferences_group_add (reading, GTK_WIDGET (delay_row));
  adw_preferences_group_add (reading, GTK_WIDGET (days_row));

  adw_preferences_group_set_title (composing, _ ("Composing"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rich_row), _ ("Rich Text"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (rich_row),
                               _ ("New messages start with formatting, sent with a plain text "
                                  "version"));
  gtk_widget_set_valign (rich_switch, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (rich_row), rich_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (rich_row), rich_switch);
  g_settings_bind (self->settings, "mail-compose-rich-text", rich_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (composing, rich_row);

  adw_preferences_group_set_title (sending, _ ("Sending"));
  adw_combo_row_set_selected (
    undo_row, index_of_uint (undo_delays, G_N_ELEMENTS (undo_delays),
                             g_settings_get_uint (self->settings, "mail-undo-send-delay"), 1));
  g_signal_connect_object (undo_row, "notify::selected", G_CALLBACK (undo_delay_changed_cb),
                           self->settings, 0);
  adw_preferences_group_add (sending, GTK_WIDGET (undo_row));

  adw_preferences_group_set_title (senders, _ ("Remote Content Allowed"));
  fill_senders (senders, self->settings);

  adw_preferences_page_set_title (page, _ ("General"));
  adw_preferences_page_set_icon_name (page, "emblem-system-symbolic");
  adw_preferences_page_add (page, reading);
  adw_preferences_page_add (page, composing);
  adw_preferences_page_add (page, sending);
  adw_preferences_page_add (page, senders);
  adw_preferences_window_add (window, page);
  if (kontor_mail_engine_get_account_service (self->engine) != NULL)
    {
      AdwPreferencesPage *identities = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());

      adw_preferences_page_set_title (identities, _ ("Identities"));
      adw_preferences_page_set_icon_name (identities, "avatar-default-symbolic");
      adw_preferences_page_add (identities,
                                kontor_mail_preferences_identities_new (
                                  kontor_mail_engine_get_account_service (self->engine)));
      adw_preferences_window_add (window, identities);
    }
  gtk_window_present (GTK_WINDOW (window));
}
