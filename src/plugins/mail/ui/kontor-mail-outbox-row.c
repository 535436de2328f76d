/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox-row.c: a row of the Outbox view, built in code from one entry of
 * kontor_mail_outbox_list(): subject, recipients (Bcc too, from the envelope), what
 * happens to it in plain words (on hold for undo, waiting, sending, failed and why,
 * the next attempt) and its buttons: Send Now, Edit, Cancel Sending. The buttons name
 * the view's "outbox.*" actions with the entry's id. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-mail-outbox-row.h"

static const char *
lookup_string (GVariant *entry, const char *key)
{
  const char *value = "";

  g_variant_lookup (entry, key, "&s", &value);
  return value;
}

static gint64
lookup_time (GVariant *entry, const char *key)
{
  gint64 value = 0;

  g_variant_lookup (entry, key, "x", &value);
  return value;
}

/* A time of today as "14:05", another day's with its date. */
static char *
format_time (gint64 time)
{
  g_autoptr (GDateTime) date = g_date_time_new_from_unix_local (time);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (date) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (date) == g_date_time_get_day_of_year (now))
    return g_date_time_format (date, "%X");
  return g_date_time_format (date, "%x %X");
}

/* Not sent and not about to be: it failed, or its last attempt did. */
gboolean
kontor_mail_outbox_entry_is_failing (GVariant *entry)
{
  return g_str_equal (lookup_string (entry, "state"), "failed") ||
         *lookup_string (entry, "error") != '\0';
}

/* What happens to the message, for the user. */
char *
kontor_mail_outbox_entry_dup_status (GVariant *entry, gboolean offline)
{
  const char *state = lookup_string (entry, "state");
  const char *reason = lookup_string (entry, "error");
  gint64 after = lookup_time (entry, "send-after");
  gint64 next = lookup_time (entry, "next-attempt");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *when = NULL;

  if (g_str_equal (state, "sending"))
    return g_strdup (_ ("Sending…"));
  if (g_str_equal (state, "sent"))
    return g_strdup (_ ("Sent; its copy is being saved in Sent"));
  if (g_str_equal (state, "failed"))
    return g_strdup_printf (_ ("Failed: %s. Edit it, or Send Now to try again."), reason);
  if (after > now)
    {
      when = format_time (after);
      return g_strdup_printf (_ ("On hold for undo: sends at %s"), when);
    }
  if (*reason != '\0' && next > now)
    {
      when = format_time (next);
      return g_strdup_printf (_ ("Not sent yet: %s. Next try at %s."), reason, when);
    }
  if (*reason != '\0')
    return g_strdup_printf (_ ("Not sent yet: %s. Trying again."), reason);
  if (offline)
    return g_strdup (_ ("Waiting to send: sent when Kontor is online"));
  return g_strdup (_ ("Waiting to send"));
}

/* "To: …" then "Bcc: …": the envelope's addresses that To and Cc do not show. */
static char *
dup_recipients (GVariant *entry)
{
  const char *to = lookup_string (entry, "to");
  g_autofree const char **envelope = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *folded_to = g_utf8_casefold (to, -1);
  g_autoptr (GPtrArray) bcc = g_ptr_array_new ();

  if (*to != '\0')
    g_string_append_printf (text, _ ("To: %s"), to);
  if (g_variant_lookup (entry, "recipients", "^a&s", &envelope))
    for (guint i = 0; envelope[i] != NULL; i++)
      {
        g_autofree char *folded = g_utf8_casefold (envelope[i], -1);

        if (strstr (folded_to, folded) == NULL)
          g_ptr_array_add (bcc, (gpointer) envelope[i]);
      }
  if (bcc->len > 0)
    {
      g_ptr_array_add (bcc, NULL);
      g_autofree char *joined = g_strjoinv (", ", (char **) bcc->pdata);

      if (text->len > 0)
        g_string_append (text, "  ·  ");
      g_string_append_printf (text, _ ("Bcc: %s"), joined);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
label_new (const char *text, const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Wrapped to the pane, never widening it. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

static GtkWidget *
button_new (const char *label, const char *action, const char *id, gboolean sensitive)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  gtk_widget_set_sensitive (button, sensitive);
  return button;
}

GtkWidget *
kontor_mail_outbox_row_new (GVariant *entry, gboolean offline)
{
  const char *id = lookup_string (entry, "id");
  const char *subject = lookup_string (entry, "subject");
  const char *state = lookup_string (entry, "state");
  gboolean busy = g_str_equal (state, "sending") || g_str_equal (state, "sent");
  gboolean failed = g_str_equal (state, "failed");
  g_autofree char *recipients = dup_recipients (entry);
  g_autofree char *status = kontor_mail_outbox_entry_dup_status (entry, offline);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = label_new (*subject != '\0' ? subject : _ ("(No Subject)"), "heading");
  GtkWidget *status_label = label_new (status, "caption");
  GtkWidget *cancel = button_new (_ ("_Cancel Sending…"), "outbox.cancel", id, !busy);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_name (row, id);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), label_new (recipients, "dim-label"));
  if (failed || *lookup_string (entry, "error") != '\0')
    gtk_widget_add_css_class (status_label, failed ? "error" : "warning");
  gtk_box_append (GTK_BOX (box), status_label);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), button_new (_ ("_Edit"), "outbox.edit", id, !busy));
  gtk_box_append (GTK_BOX (buttons), button_new (_ ("Send _Now"), "outbox.send-now", id, !busy));
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}
