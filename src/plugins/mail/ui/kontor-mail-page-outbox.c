/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page-outbox.c: the Outbox in the page. An "Outbox" entry under the
 * folders, with the number of messages waiting, is there while the Outbox holds any
 * (or is shown); it turns to the error style with a warning sign when a message
 * failed, so a failure is seen from any folder. Choosing it shows the Outbox view in
 * place of the message list; choosing a folder goes back. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-outbox-view.h"
#include "kontor-mail-page-private.h"

static void
update_sidebar (KontorMailPage *self)
{
  guint n = kontor_mail_outbox_view_get_n_messages (self->outbox_view);
  gboolean failing = kontor_mail_outbox_view_get_failing (self->outbox_view);
  GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->outbox_sidebar, 0));
  GtkWidget *label = g_object_get_data (G_OBJECT (row), "label");
  GtkWidget *count = g_object_get_data (G_OBJECT (row), "count");
  GtkWidget *warning = g_object_get_data (G_OBJECT (row), "warning");
  g_autofree char *text = g_strdup_printf ("%u", n);
  g_autofree char *description = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->outbox_sidebar), n > 0 || self->outbox_shown);
  gtk_label_set_label (GTK_LABEL (count), n > 0 ? text : "");
  gtk_widget_set_visible (warning, failing);
  if (failing)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_add_css_class (count, "error");
      gtk_widget_remove_css_class (count, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_remove_css_class (count, "error");
      gtk_widget_add_css_class (count, "dim-label");
    }
  description =
    failing ? g_strdup (_ ("Some messages could not be sent"))
            : g_strdup_printf (
                ngettext ("%u message waiting to be sent", "%u messages waiting to be sent", n), n);
  gtk_widget_set_tooltip_text (row, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

static void
show_outbox (KontorMailPage *self)
{
  self->outbox_shown = TRUE;
  gtk_single_selection_set_selected (self->folder_selection, GTK_INVALID_LIST_POSITION);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->message_selection));
  kontor_mail_reader_clear (self->reader, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), FALSE);
  gtk_stack_set_visible_child_name (self->list_stack, "outbox");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  update_sidebar (self);
}

static void
row_activated_cb (GtkListBox *box, GtkListBoxRow *row, KontorMailPage *self)
{
  show_outbox (self);
}

/* Back to the folders: TRUE when the Outbox was shown (the list's state is due). */
gboolean
kontor_mail_page_leave_outbox (KontorMailPage *self)
{
  if (!self->outbox_shown)
    return FALSE;
  self->outbox_shown = FALSE;
  gtk_list_box_unselect_all (self->outbox_sidebar);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), TRUE);
  update_sidebar (self);
  return TRUE;
}

static GtkWidget *
sidebar_row_new (void)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (_ ("Outbox"));
  GtkWidget *warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *count = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("mail-send-symbolic"));
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (warning, "error");
  gtk_box_append (GTK_BOX (box), warning);
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Outbox"),
                                  -1);
  g_object_set_data (G_OBJECT (row), "label", label);
  g_object_set_data (G_OBJECT (row), "count", count);
  g_object_set_data (G_OBJECT (row), "warning", warning);
  return row;
}

/* After the template and the engine: the sidebar entry below the folders, the view
 * as a page of the list's stack. */
void
kontor_mail_page_init_outbox (KontorMailPage *self)
{
  GtkWidget *folders = gtk_widget_get_parent (GTK_WIDGET (self->offline_revealer));

  self->outbox_view = kontor_mail_outbox_view_new (self->engine);
  gtk_stack_add_named (self->list_stack, GTK_WIDGET (self->outbox_view), "outbox");

  self->outbox_sidebar = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->outbox_sidebar), "navigation-sidebar");
  /* Its label expands within the row only: the folders pane keeps its width. */
  gtk_widget_set_hexpand (GTK_WIDGET (self->outbox_sidebar), FALSE);
  gtk_list_box_append (self->outbox_sidebar, sidebar_row_new ());
  gtk_box_insert_child_after (GTK_BOX (folders), GTK_WIDGET (self->outbox_sidebar),
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->offline_revealer)));
  g_signal_connect (self->outbox_sidebar, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->outbox_view, "notify::n-messages", G_CALLBACK (update_sidebar),
                            self);
  g_signal_connect_swapped (self->outbox_view, "notify::failing", G_CALLBACK (update_sidebar),
                            self);
  update_sidebar (self);
}
