/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-preferences-identities.c: the Identities group of Mail's preferences.
 * Each mail account is an expander with the addresses it sends from, its own and its
 * aliases (kept with the account, where Evolution sees them too), each with its
 * signature; aliases are added and removed here. The group follows the accounts, so
 * a change made here or by a script shows at once. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-mail-identities.h"
#include "kontor-mail-page-private.h"

typedef struct
{
  AdwPreferencesGroup *group; /* weak: the data lives on it */
  KontorAccountService *accounts;
  GPtrArray *rows;
  GHashTable *expanded; /* account ids whose expander is open */
} Identities;

static void fill (Identities *self);

static void
identities_free (Identities *self)
{
  g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_object_unref (self->accounts);
  g_ptr_array_unref (self->rows);
  g_hash_table_unref (self->expanded);
  g_free (self);
}

static void
toast (GtkWidget *widget, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (escaped));
}

/* Aliases --------------------------------------------------------------------------- */

static void
aliases_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWidget) widget = user_data;
  g_autoptr (GError) error = NULL;

  if (!kontor_account_service_set_aliases_finish (KONTOR_ACCOUNT_SERVICE (object), result, &error))
    toast (widget, error->message);
}

/* The account's aliases, with @added added and @removed left out. */
static void
store_aliases (Identities *self,
               GtkWidget *widget,
               const char *account_id,
               const char *added,
               const char *removed)
{
  KontorAccount *account = kontor_account_service_lookup (self->accounts, account_id);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) aliases = NULL;
  const KontorAccountSettings *settings;

  if (account == NULL)
    return;
  settings = kontor_account_get_settings (account);
  for (guint i = 0; settings->aliases != NULL && settings->aliases[i] != NULL; i++)
    if (g_strcmp0 (settings->aliases[i], removed) != 0)
      g_strv_builder_add (builder, settings->aliases[i]);
  if (added != NULL)
    g_strv_builder_add (builder, added);
  aliases = g_strv_builder_end (builder);
  kontor_account_service_set_aliases_async (self->accounts, account_id,
                                            (const char *const *) aliases, NULL, aliases_set_cb,
                                            g_object_ref (widget));
}

static void
remove_alias_cb (GtkButton *button, Identities *self)
{
  KontorMailFrom *from = g_object_get_data (G_OBJECT (button), "from");
  g_autofree char *formatted = kontor_mail_from_format (from);
  KontorAccount *account = kontor_account_service_lookup (self->accounts, from->account_id);
  const KontorAccountSettings *settings = account ? kontor_account_get_settings (account) : NULL;

  /* The alias as stored: with its name, or as the bare address. */
  for (guint i = 0; settings != NULL && settings->aliases != NULL && settings->aliases[i]; i++)
    if (g_str_equal (settings->aliases[i], formatted) ||
        g_ascii_strcasecmp (settings->aliases[i], from->address) == 0)
      {
        store_aliases (self, GTK_WIDGET (button), from->account_id, NULL, settings->aliases[i]);
        return;
      }
}

static void
add_alias_cb (AdwEntryRow *row, Identities *self)
{
  const char *account_id = g_object_get_data (G_OBJECT (row), "account-id");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    return;
  store_aliases (self, GTK_WIDGET (row), account_id, text, NULL);
}

/* Signatures ------------------------------------------------------------------------- */

static void
signature_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (AdwPreferencesGroup) group = user_data;
  g_autoptr (GError) error = NULL;
  Identities *self = g_object_get_data (G_OBJECT (group), "identities");

  if (!kontor_mail_identities_set_signature_finish (result, &error))
    toast (GTK_WIDGET (group), error->message);
  else if (self != NULL)
    fill (self);
}

static void
signature_response_cb (AdwMessageDialog *dialog, const char *response, Identities *self)
{
  GtkTextView *view = g_object_get_data (G_OBJECT (dialog), "view");
  const char *address = g_object_get_data (G_OBJECT (dialog), "address");
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (g_str_equal (response, "cancel"))
    return;
  if (g_str_equal (response, "save"))
    {
      gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
      text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
    }
  kontor_mail_identities_set_signature_async (self->accounts, address, text, NULL, signature_set_cb,
                                              g_object_ref (self->group));
}

static void
edit_signature_cb (GtkButton *button, Identities *self)
{
  KontorMailFrom *from = g_object_get_data (G_OBJECT (button), "from");
  g_autofree char *formatted = kontor_mail_from_format (from);
  g_autofree char *text = kontor_mail_identities_dup_signature (
    kontor_account_service_lookup (self->accounts, from->account_id), from->address);
  g_autofree char *heading = g_strdup_printf (_ ("Signature of %s"), formatted);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))), heading,
    _ ("Added below a “-- ” line to the messages you write from this address.")));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Signature"), -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text ? text : "", -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (dialog, scrolled);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "none", _ ("_No Signature"),
                                    "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "none", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "none", text != NULL);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "view", view);
  g_object_set_data_full (G_OBJECT (dialog), "address", g_strdup (from->address), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (signature_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

/* The group ---------------------------------------------------------------------------- */

static GtkWidget *
icon_button (const char *icon, const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  return button;
}

static GtkWidget *
address_row (Identities *self, KontorMailFrom *from)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *formatted = kontor_mail_from_format (from);
  g_autofree char *signature = kontor_mail_identities_dup_signature (
    kontor_account_service_lookup (self->accounts, from->account_id), from->address);
  g_autofree char *first_line = signature ? g_strndup (signature, strcspn (signature, "\n")) : NULL;
  g_autofree char *edit_tooltip = g_strdup_printf (_ ("Edit the signature of %s"), from->address);
  GtkWidget *edit = icon_button ("document-edit-symbolic", edit_tooltip);
  g_autofree char *subtitle = NULL;

  subtitle = first_line != NULL
               ? g_strdup_printf (from->alias ? _ ("Alias · Signature: %s") : _ ("Signature: %s"),
                                  first_line)
               : g_strdup (from->alias ? _ ("Alias · No signature") : _ ("No signature"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), formatted);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (edit), "from", from, (GDestroyNotify) kontor_mail_from_free);
  g_signal_connect (edit, "clicked", G_CALLBACK (edit_signature_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
  if (from->alias)
    {
      g_autofree char *tooltip = g_strdup_printf (_ ("Remove the alias %s"), from->address);
      GtkWidget *remove = icon_button ("user-trash-symbolic", tooltip);

      g_object_set_data (G_OBJECT (remove), "from", from);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_alias_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
    }
  return row;
}

static void
expanded_cb (AdwExpanderRow *row, GParamSpec *pspec, Identities *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "account-id");

  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (self->expanded, g_strdup (id));
  else
    g_hash_table_remove (self->expanded, id);
}

static GtkWidget *
account_row (Identities *self, KontorAccount *account)
{
  g_autoptr (GPtrArray) identities = kontor_mail_identities_for_account (account);
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *add = adw_entry_row_new ();
  const char *id = kontor_account_get_id (account);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                 kontor_account_get_display_name (account));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 kontor_account_get_settings (account)->email);
  for (guint i = 0; i < identities->len; i++)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                              address_row (self, g_ptr_array_steal_index (identities, i--)));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (add), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add), _ ("Add Alias (Name <address>)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (add), TRUE);
  gtk_editable_set_enable_undo (GTK_EDITABLE (add), TRUE);
  g_object_set_data_full (G_OBJECT (add), "account-id", g_strdup (id), g_free);
  g_signal_connect (add, "apply", G_CALLBACK (add_alias_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), add);
  g_object_set_data_full (G_OBJECT (expander), "account-id", g_strdup (id), g_free);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander),
                                 g_hash_table_contains (self->expanded, id));
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (expanded_cb), self);
  return expander;
}

static void
fill (Identities *self)
{
  GListModel *accounts = G_LIST_MODEL (self->accounts);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (accounts, i);
      GtkWidget *row;

      if (!kontor_account_has_service (account, "mail") ||
          kontor_account_get_settings (account)->email == NULL)
        continue;
      row = account_row (self, account);
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  adw_preferences_group_set_description (
    self->group, self->rows->len == 0
                   ? _ ("Add a mail account to choose the addresses you send from.")
                   : _ ("The addresses you send from, and the signature of each."));
}

static void
accounts_changed_cb (GListModel *model,
                     guint position,
                     guint removed,
                     guint added,
                     Identities *self)
{
  fill (self);
}

/* The Identities group, following @accounts. */
AdwPreferencesGroup *
kontor_mail_preferences_identities_new (KontorAccountService *accounts)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  Identities *self = g_new0 (Identities, 1);

  g_return_val_if_fail (KONTOR_IS_ACCOUNT_SERVICE (accounts), NULL);
  adw_preferences_group_set_title (group, _ ("Identities"));
  self->group = group;
  self->accounts = g_object_ref (accounts);
  self->rows = g_ptr_array_new ();
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_object_set_data_full (G_OBJECT (group), "identities", self, (GDestroyNotify) identities_free);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), self);
  fill (self);
  return group;
}
