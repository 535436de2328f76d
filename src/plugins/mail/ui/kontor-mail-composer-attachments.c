/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-attachments.c: the composer's files to attach, chosen through
 * the file chooser portal or dropped onto the window, each with its size (read in the
 * background) and a button to remove it. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-composer-private.h"

static void
attachment_free (gpointer data)
{
  KontorMailComposerAttachment *attachment = data;

  g_free (attachment->path);
  g_free (attachment);
}

static void
update_list (KontorMailComposer *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_list))) != NULL)
    gtk_list_box_remove (self->attachments_list, child);
  for (guint i = 0; i < self->attachments->len; i++)
    {
      KontorMailComposerAttachment *attachment = g_ptr_array_index (self->attachments, i);
      g_autofree char *name = g_path_get_basename (attachment->path);
      g_autofree char *escaped = g_markup_escape_text (name, -1);
      g_autofree char *size = attachment->size >= 0 ? g_format_size (attachment->size) : NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("mail-attachment-symbolic");
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      if (size != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), size);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _ ("Remove Attachment"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Remove Attachment"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "composer.remove-attachment");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", i);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->attachments_list, row);
    }
  gtk_revealer_set_reveal_child (self->attachments_revealer, self->attachments->len > 0);
}

static void
size_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailComposer) self = user_data;
  g_autoptr (GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, NULL);
  g_autofree char *path = g_file_get_path (G_FILE (object));

  if (info == NULL || self->attachments == NULL)
    return;
  for (guint i = 0; i < self->attachments->len; i++)
    {
      KontorMailComposerAttachment *attachment = g_ptr_array_index (self->attachments, i);

      if (g_strcmp0 (attachment->path, path) == 0)
        attachment->size = g_file_info_get_size (info);
    }
  update_list (self);
}

void
kontor_mail_composer_add_attachment (KontorMailComposer *self, const char *path)
{
  KontorMailComposerAttachment *attachment;
  g_autoptr (GFile) file = NULL;

  g_return_if_fail (KONTOR_IS_MAIL_COMPOSER (self));
  g_return_if_fail (path != NULL);
  for (guint i = 0; i < self->attachments->len; i++)
    if (g_str_equal (
          ((KontorMailComposerAttachment *) g_ptr_array_index (self->attachments, i))->path, path))
      return;
  attachment = g_new0 (KontorMailComposerAttachment, 1);
  attachment->path = g_strdup (path);
  attachment->size = -1;
  g_ptr_array_add (self->attachments, attachment);
  file = g_file_new_for_path (path);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, self->cancellable, size_cb, g_object_ref (self));
  update_list (self);
  kontor_mail_composer_changed (self);
}

static void
remove_attachment_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorMailComposer *self = KONTOR_MAIL_COMPOSER (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (index >= self->attachments->len)
    return;
  g_ptr_array_remove_index (self->attachments, index);
  update_list (self);
  kontor_mail_composer_changed (self);
}

goffset
kontor_mail_composer_get_attachments_size (KontorMailComposer *self)
{
  goffset total = 0;

  for (guint i = 0; i < self->attachments->len; i++)
    total +=
      MAX (((KontorMailComposerAttachment *) g_ptr_array_index (self->attachments, i))->size, 0);
  return total;
}

GStrv
kontor_mail_composer_dup_attachment_paths (KontorMailComposer *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->attachments->len; i++)
    g_strv_builder_add (
      builder, ((KontorMailComposerAttachment *) g_ptr_array_index (self->attachments, i))->path);
  return g_strv_builder_end (builder);
}

/* Choosing and dropping ----------------------------------------------------------------- */

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, KontorMailComposer *self)
{
  g_autoptr (GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);
          g_autofree char *path = g_file_get_path (file);

          if (path != NULL)
            kontor_mail_composer_add_attachment (self, path);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
kontor_mail_composer_choose_files (KontorMailComposer *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
    _ ("Attach Files"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Attach"), NULL);

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, KontorMailComposer *self)
{
  GSList *files = g_value_get_boxed (value);
  gboolean added = FALSE;

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);

      if (path != NULL)
        {
          kontor_mail_composer_add_attachment (self, path);
          added = TRUE;
        }
    }
  return added;
}

void
kontor_mail_composer_init_attachments (KontorMailComposer *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  self->attachments = g_ptr_array_new_with_free_func (attachment_free);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

void
kontor_mail_composer_class_init_attachments (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "composer.remove-attachment", "u",
                                   remove_attachment_action);
}
