/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-format-edit.c: typing in rich text. What is typed takes the
 * styles the buttons show and the paragraph style of its line, so Enter in a list
 * starts the next item, Enter on an empty item ends the list, Tab and Shift+Tab move
 * an item in and out; the list markers are set right once the change is done. Links
 * are asked for in a dialog, images chosen through the file chooser (the portal in a
 * sandbox) and shown in the text, scaled to fit. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-composer-format-private.h"

#define IMAGE_MAX_WIDTH 480

static const char *const inline_tags[] = { "bold", "italic", "underline" };

static gboolean
line_is_empty_item (GtkTextBuffer *buffer, const GtkTextIter *location)
{
  GtkTextIter iter = *location;

  gtk_text_iter_set_line_offset (&iter, 0);
  while (!gtk_text_iter_ends_line (&iter) && kontor_mail_rich_text_is_marker (&iter))
    gtk_text_iter_forward_char (&iter);
  return gtk_text_iter_ends_line (&iter);
}

static void
insert_text_cb (GtkTextBuffer *buffer,
                GtkTextIter *location,
                const char *text,
                int length,
                KontorMailComposer *self)
{
  KontorMailComposerFormat *format = self->format;
  int line = gtk_text_iter_get_line (location);

  if (!format->rich || format->busy)
    return;
  /* Typed in a list marker (after Home, say), the text goes after it, and so does the
   * cursor once it is in. */
  format->past_marker = FALSE;
  while (kontor_mail_rich_text_is_marker (location) && !gtk_text_iter_ends_line (location))
    {
      gtk_text_iter_forward_char (location);
      format->past_marker = TRUE;
    }
  kontor_mail_rich_text_get_line (buffer, line, &format->insert_style);
  format->insert_offset = gtk_text_iter_get_offset (location);
  if (g_str_equal (text, "\n") && format->insert_style.list != KONTOR_MAIL_RICH_TEXT_LIST_NONE &&
      line_is_empty_item (buffer, location))
    {
      KontorMailRichTextLine style = format->insert_style;

      /* Enter on an empty item ends the list instead of making another. */
      g_signal_stop_emission_by_name (buffer, "insert-text");
      style.list = KONTOR_MAIL_RICH_TEXT_LIST_NONE;
      style.level = 0;
      format->busy = TRUE;
      kontor_mail_rich_text_set_line (buffer, line, &style);
      kontor_mail_rich_text_update_markers (buffer);
      format->busy = FALSE;
      format->insert_offset = -1;
    }
}

static gboolean
update_markers_cb (gpointer data)
{
  KontorMailComposer *self = data;

  self->format->markers_id = 0;
  self->format->busy = TRUE;
  kontor_mail_rich_text_update_markers (gtk_text_view_get_buffer (self->body_view));
  self->format->busy = FALSE;
  kontor_mail_composer_format_sync (self);
  return G_SOURCE_REMOVE;
}

static void
insert_text_after_cb (GtkTextBuffer *buffer,
                      GtkTextIter *location,
                      const char *text,
                      int length,
                      KontorMailComposer *self)
{
  KontorMailComposerFormat *format = self->format;
  GtkTextIter start;

  if (!format->rich || format->busy || format->insert_offset < 0)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, format->insert_offset);
  format->insert_offset = -1;
  format->busy = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (inline_tags); i++)
    if (format->typing[i])
      gtk_text_buffer_apply_tag_by_name (buffer, inline_tags[i], &start, location);
  /* The new text, and lines it made, share the style of the line it went into. */
  for (int line = gtk_text_iter_get_line (&start); line <= gtk_text_iter_get_line (location);
       line++)
    kontor_mail_rich_text_set_line (buffer, line, &format->insert_style);
  format->busy = FALSE;
  if (format->past_marker)
    gtk_text_buffer_place_cursor (buffer, location);
  if (format->markers_id == 0)
    format->markers_id = g_idle_add (update_markers_cb, self);
}

static void
delete_range_after_cb (GtkTextBuffer *buffer,
                       GtkTextIter *start,
                       GtkTextIter *end,
                       KontorMailComposer *self)
{
  if (self->format->rich && !self->format->busy && self->format->markers_id == 0)
    self->format->markers_id = g_idle_add (update_markers_cb, self);
}

static void
mark_set_cb (GtkTextBuffer *buffer,
             GtkTextIter *location,
             GtkTextMark *mark,
             KontorMailComposer *self)
{
  if (mark == gtk_text_buffer_get_insert (buffer))
    kontor_mail_composer_format_sync (self);
}

/* Tab and Shift+Tab move a list item in and out; elsewhere they move the focus. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint keyval,
                guint keycode,
                GdkModifierType state,
                KontorMailComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  KontorMailRichTextLine style;
  GtkTextIter cursor;

  if (!self->format->rich || (keyval != GDK_KEY_Tab && keyval != GDK_KEY_ISO_Left_Tab) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  kontor_mail_rich_text_get_line (buffer, gtk_text_iter_get_line (&cursor), &style);
  if (style.list == KONTOR_MAIL_RICH_TEXT_LIST_NONE)
    return FALSE;
  gtk_widget_activate_action (
    GTK_WIDGET (self),
    keyval == GDK_KEY_Tab && (state & GDK_SHIFT_MASK) == 0 ? "format.indent" : "format.outdent",
    NULL);
  return TRUE;
}

/* Images ------------------------------------------------------------------------------- */

/* Each image anchor, however it came in (Insert Image, a draft), shows its picture. */
static void
insert_child_anchor_after_cb (GtkTextBuffer *buffer,
                              GtkTextIter *location,
                              GtkTextChildAnchor *anchor,
                              KontorMailComposer *self)
{
  const char *path = kontor_mail_rich_text_anchor_get_path (anchor);
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *name = NULL;
  GtkWidget *picture;
  int width, height;

  if (path == NULL)
    return;
  name = g_filename_display_basename (path);
  texture = gdk_texture_new_from_filename (path, NULL);
  if (texture == NULL)
    {
      picture = gtk_label_new (name);
      gtk_widget_add_css_class (picture, "dim-label");
    }
  else
    {
      width = gdk_texture_get_width (texture);
      height = gdk_texture_get_height (texture);
      if (width > IMAGE_MAX_WIDTH)
        {
          height = height * IMAGE_MAX_WIDTH / width;
          width = IMAGE_MAX_WIDTH;
        }
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, MAX (width, 1), MAX (height, 1));
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
    }
  gtk_widget_set_tooltip_text (picture, name);
  gtk_text_view_add_child_at_anchor (self->body_view, picture, anchor);
}

static void
image_response_cb (GtkNativeDialog *chooser, int response, KontorMailComposer *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr (GdkTexture) texture =
        path != NULL ? gdk_texture_new_from_filename (path, NULL) : NULL;
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
      GtkTextIter iter;

      if (texture == NULL)
        kontor_mail_composer_toast (self, _ ("The file is not an image Kontor can show"));
      else
        {
          gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
          gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
          kontor_mail_rich_text_insert_image (buffer, &iter, path, NULL);
          kontor_mail_composer_changed (self);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
kontor_mail_composer_format_choose_image (KontorMailComposer *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
    _ ("Insert Image"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Insert"), NULL);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (image_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Links -------------------------------------------------------------------------------- */

static void
link_response_cb (AdwMessageDialog *dialog, const char *response, KontorMailComposer *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  GtkTextMark *start_mark = gtk_text_buffer_get_mark (buffer, "link-start");
  GtkTextMark *end_mark = gtk_text_buffer_get_mark (buffer, "link-end");
  GtkTextIter start, end;

  /* What was selected when the dialog opened: the dialog took the focus since. */
  gtk_text_buffer_get_iter_at_mark (buffer, &start, start_mark);
  gtk_text_buffer_get_iter_at_mark (buffer, &end, end_mark);
  gtk_text_buffer_delete_mark (buffer, start_mark);
  gtk_text_buffer_delete_mark (buffer, end_mark);
  if (g_str_equal (response, "cancel"))
    return;
  /* The link's own text, else the word at the cursor's link, else the address. */
  if (gtk_text_iter_equal (&start, &end))
    {
      const char *here = kontor_mail_rich_text_get_link (&start);

      if (here != NULL)
        {
          GtkTextIter iter = start;

          while (!gtk_text_iter_starts_line (&start) && gtk_text_iter_backward_char (&iter) &&
                 g_strcmp0 (kontor_mail_rich_text_get_link (&iter), here) == 0)
            start = iter;
          while (!gtk_text_iter_ends_line (&end) &&
                 g_strcmp0 (kontor_mail_rich_text_get_link (&end), here) == 0)
            gtk_text_iter_forward_char (&end);
        }
      else if (g_str_equal (response, "link") && *url != '\0')
        {
          int offset = gtk_text_iter_get_offset (&start);

          self->format->busy = TRUE;
          gtk_text_buffer_insert (buffer, &end, url, -1);
          self->format->busy = FALSE;
          gtk_text_buffer_get_iter_at_offset (buffer, &start, offset);
        }
    }
  kontor_mail_rich_text_apply_link (buffer, &start, &end,
                                    g_str_equal (response, "link") ? url : NULL);
  kontor_mail_composer_changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

static void
link_entry_changed_cb (GtkEditable *entry, AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);

  adw_message_dialog_set_response_enabled (
    dialog, "link", g_uri_is_valid (text, 0, NULL) || g_str_has_prefix (text, "www."));
}

void
kontor_mail_composer_format_ask_link (KontorMailComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();
  GtkTextIter start, end;
  const char *current;

  /* One link dialog at a time. */
  if (gtk_text_buffer_get_mark (buffer, "link-start") != NULL)
    return;
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  gtk_text_buffer_create_mark (buffer, "link-start", &start, TRUE);
  gtk_text_buffer_create_mark (buffer, "link-end", &end, FALSE);
  current = kontor_mail_rich_text_get_link (&start);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (self), current != NULL ? _ ("Edit Link") : _ ("Insert Link"),
    _ ("The web or e-mail address the text leads to, like https://example.org or "
       "mailto:ada@example.org.")));
  gtk_editable_set_text (GTK_EDITABLE (entry), current != NULL ? current : "https://");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_URL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Address"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), NULL);
  if (current != NULL)
    {
      adw_message_dialog_add_responses (dialog, "remove", _ ("_Remove Link"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_add_responses (dialog, "link", _ ("_Link"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "link", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "link");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (entry, "changed", G_CALLBACK (link_entry_changed_cb), dialog);
  link_entry_changed_cb (GTK_EDITABLE (entry), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (link_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Set-up ------------------------------------------------------------------------------- */

void
kontor_mail_composer_format_init_editing (KontorMailComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkEventController *keys;

  self->format->insert_offset = -1;
  g_signal_connect (buffer, "insert-text", G_CALLBACK (insert_text_cb), self);
  g_signal_connect_after (buffer, "insert-text", G_CALLBACK (insert_text_after_cb), self);
  g_signal_connect_after (buffer, "delete-range", G_CALLBACK (delete_range_after_cb), self);
  g_signal_connect_after (buffer, "insert-child-anchor", G_CALLBACK (insert_child_anchor_after_cb),
                          self);
  g_signal_connect (buffer, "mark-set", G_CALLBACK (mark_set_cb), self);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->body_view), keys);
}

void
kontor_mail_composer_format_dispose_editing (KontorMailComposer *self)
{
  GtkTextBuffer *buffer;

  g_clear_handle_id (&self->format->markers_id, g_source_remove);
  if (self->body_view == NULL)
    return;
  buffer = gtk_text_view_get_buffer (self->body_view);
  g_signal_handlers_disconnect_by_data (buffer, self);
}
