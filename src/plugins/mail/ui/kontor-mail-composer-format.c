/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-format.c: a message in rich text. The Rich Text button in the
 * header bar shows a formatting bar above the text; its buttons follow the cursor and
 * act on the selection (or on what is typed next), and the message goes as
 * multipart/alternative with a faithful plain part. Back to plain text asks first
 * when there is formatting to lose; inline images then become attachments. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-mail-composer-format-private.h"
#include "kontor-mail-html.h"
#include "kontor-mail-rich-text.h"

static const char *const inline_tags[] = { "bold", "italic", "underline" };

static GtkTextBuffer *
body_buffer (KontorMailComposer *self)
{
  return gtk_text_view_get_buffer (self->body_view);
}

/* The buttons show what is at the cursor -------------------------------------------- */

void
kontor_mail_composer_format_sync (KontorMailComposer *self)
{
  KontorMailComposerFormat *format = self->format;
  GtkTextBuffer *buffer = body_buffer (self);
  GtkTextIter cursor, before;
  KontorMailRichTextLine style;

  if (!format->rich)
    return;
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  /* What is typed takes the style of the character before it. */
  before = cursor;
  if (!gtk_text_iter_starts_line (&before))
    gtk_text_iter_backward_char (&before);
  format->syncing = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (inline_tags); i++)
    {
      GtkTextTag *tag =
        gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), inline_tags[i]);

      format->typing[i] = gtk_text_iter_has_tag (&before, tag);
      gtk_toggle_button_set_active (format->inline_buttons[i], format->typing[i]);
    }
  kontor_mail_rich_text_get_line (buffer, gtk_text_iter_get_line (&cursor), &style);
  gtk_toggle_button_set_active (format->bullet_button,
                                style.list == KONTOR_MAIL_RICH_TEXT_LIST_BULLET);
  gtk_toggle_button_set_active (format->number_button,
                                style.list == KONTOR_MAIL_RICH_TEXT_LIST_NUMBER);
  gtk_toggle_button_set_active (format->quote_button, style.quote);
  format->syncing = FALSE;
}

/* Inline styles ------------------------------------------------------------------------ */

static void
inline_toggled_cb (GtkToggleButton *button, KontorMailComposer *self)
{
  KontorMailComposerFormat *format = self->format;
  GtkTextBuffer *buffer = body_buffer (self);
  GtkTextIter start, end;
  guint i;

  for (i = 0; format->inline_buttons[i] != button; i++)
    ;
  if (format->syncing)
    return;
  format->typing[i] = gtk_toggle_button_get_active (button);
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    {
      if (format->typing[i])
        gtk_text_buffer_apply_tag_by_name (buffer, inline_tags[i], &start, &end);
      else
        gtk_text_buffer_remove_tag_by_name (buffer, inline_tags[i], &start, &end);
      kontor_mail_composer_changed (self);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

/* Paragraphs --------------------------------------------------------------------------- */

typedef enum
{
  PARAGRAPH_BULLET,
  PARAGRAPH_NUMBER,
  PARAGRAPH_QUOTE,
  PARAGRAPH_INDENT,
  PARAGRAPH_OUTDENT,
} Paragraph;

/* Each line of the selection (or the cursor's), as the first one decides: a list
 * button turns its list on or off for all of them. */
static void
change_lines (KontorMailComposer *self, Paragraph change)
{
  GtkTextBuffer *buffer = body_buffer (self);
  GtkTextIter start, end;
  KontorMailRichTextLine first;
  KontorMailRichTextList list = change == PARAGRAPH_BULLET ? KONTOR_MAIL_RICH_TEXT_LIST_BULLET
                                                           : KONTOR_MAIL_RICH_TEXT_LIST_NUMBER;

  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  kontor_mail_rich_text_get_line (buffer, gtk_text_iter_get_line (&start), &first);
  self->format->busy = TRUE;
  for (int line = gtk_text_iter_get_line (&start); line <= gtk_text_iter_get_line (&end); line++)
    {
      KontorMailRichTextLine style;

      kontor_mail_rich_text_get_line (buffer, line, &style);
      switch (change)
        {
          case PARAGRAPH_BULLET:
          case PARAGRAPH_NUMBER:
            style.list = first.list == list ? KONTOR_MAIL_RICH_TEXT_LIST_NONE : list;
            style.level = style.list == KONTOR_MAIL_RICH_TEXT_LIST_NONE ? 0 : MAX (style.level, 1);
            break;
          case PARAGRAPH_QUOTE:
            style.quote = !first.quote;
            break;
          case PARAGRAPH_INDENT:
            if (style.list != KONTOR_MAIL_RICH_TEXT_LIST_NONE)
              style.level = MIN (style.level + 1, KONTOR_MAIL_RICH_TEXT_MAX_LEVEL);
            break;
          case PARAGRAPH_OUTDENT:
            if (style.level > 1)
              style.level--;
            else
              style.list = KONTOR_MAIL_RICH_TEXT_LIST_NONE, style.level = 0;
            break;
        }
      kontor_mail_rich_text_set_line (buffer, line, &style);
    }
  kontor_mail_rich_text_update_markers (buffer);
  self->format->busy = FALSE;
  kontor_mail_composer_format_sync (self);
  kontor_mail_composer_changed (self);
}

static void
paragraph_toggled_cb (GtkToggleButton *button, KontorMailComposer *self)
{
  KontorMailComposerFormat *format = self->format;

  if (format->syncing)
    return;
  change_lines (self, button == format->bullet_button   ? PARAGRAPH_BULLET
                      : button == format->number_button ? PARAGRAPH_NUMBER
                                                        : PARAGRAPH_QUOTE);
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

/* Rich and plain ----------------------------------------------------------------------- */

static void
show_rich (KontorMailComposer *self, gboolean rich)
{
  KontorMailComposerFormat *format = self->format;
  const char *actions[] = { "format.bold",   "format.italic", "format.underline", "format.bullet",
                            "format.number", "format.quote",  "format.indent",    "format.outdent",
                            "format.link",   "format.image" };

  format->rich = rich;
  format->syncing = TRUE;
  gtk_toggle_button_set_active (format->rich_button, rich);
  format->syncing = FALSE;
  gtk_revealer_set_reveal_child (format->toolbar, rich);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], rich);
  kontor_mail_composer_format_sync (self);
}

/* The text as it is, in the current mode: quoted lines of a plain text become quotes. */
void
kontor_mail_composer_set_body_text (KontorMailComposer *self, const char *text)
{
  GtkTextBuffer *buffer = body_buffer (self);

  self->format->busy = TRUE;
  if (self->format->rich)
    kontor_mail_rich_text_set_plain (buffer, text);
  else
    gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  self->format->busy = FALSE;
}

void
kontor_mail_composer_set_body_html (KontorMailComposer *self,
                                    const char *html,
                                    const char *const *paths,
                                    const char *const *ids)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean filling = self->filling;

  self->filling = TRUE;
  show_rich (self, TRUE);
  self->format->busy = TRUE;
  if (!kontor_mail_rich_text_set_html (body_buffer (self), html, paths, ids, &error))
    {
      /* Not the HTML Kontor writes: its text is still worth keeping. */
      g_debug ("The HTML body is not read as rich text: %s", error->message);
      text = kontor_mail_html_to_text (html);
      kontor_mail_rich_text_set_plain (body_buffer (self), text);
    }
  self->format->busy = FALSE;
  self->filling = filling;
  kontor_mail_composer_format_sync (self);
}

static void
to_plain (KontorMailComposer *self)
{
  GtkTextBuffer *buffer = body_buffer (self);
  g_autofree char *text = kontor_mail_rich_text_to_plain (buffer);
  g_auto (GStrv) paths = NULL;
  g_auto (GStrv) ids = NULL;
  g_autofree char *html = kontor_mail_rich_text_to_html (buffer, &paths, &ids);

  show_rich (self, FALSE);
  self->format->busy = TRUE;
  gtk_text_buffer_set_text (buffer, text, -1);
  self->format->busy = FALSE;
  for (guint i = 0; paths[i] != NULL; i++)
    kontor_mail_composer_add_attachment (self, paths[i]);
  kontor_mail_composer_changed (self);
}

static void
plain_response_cb (AdwMessageDialog *dialog, const char *response, KontorMailComposer *self)
{
  if (g_str_equal (response, "plain"))
    to_plain (self);
  else
    show_rich (self, TRUE);
}

static void
rich_toggled_cb (GtkToggleButton *button, KontorMailComposer *self)
{
  GtkTextBuffer *buffer = body_buffer (self);
  AdwMessageDialog *dialog;

  if (self->format->syncing || gtk_toggle_button_get_active (button) == self->format->rich)
    return;
  if (gtk_toggle_button_get_active (button))
    {
      g_autofree char *text = kontor_mail_composer_dup_body (self);

      show_rich (self, TRUE);
      kontor_mail_composer_set_body_text (self, text);
      kontor_mail_composer_changed (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
      return;
    }
  if (!kontor_mail_rich_text_has_formatting (buffer))
    {
      to_plain (self);
      return;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (self), _ ("Remove Formatting?"),
    _ ("Bold, italic and underlined text, lists, quotes and links become plain text. Images "
       "in the text become attachments.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "plain",
                                    _ ("_Remove Formatting"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "plain", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (plain_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* In a rich message the plain text is the rich text's plain form, with the HTML and
 * its images beside it. */
void
kontor_mail_composer_format_fields (KontorMailComposer *self, KontorMailComposeFields *fields)
{
  GtkTextBuffer *buffer = body_buffer (self);

  if (!self->format->rich)
    return;
  g_free (fields->body);
  fields->body = kontor_mail_rich_text_to_plain (buffer);
  g_free (fields->html_body);
  g_strfreev (fields->inline_images);
  g_strfreev (fields->inline_ids);
  fields->html_body =
    kontor_mail_rich_text_to_html (buffer, &fields->inline_images, &fields->inline_ids);
}

/* Actions ------------------------------------------------------------------------------ */

static void
format_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorMailComposer *self = KONTOR_MAIL_COMPOSER (widget);
  KontorMailComposerFormat *format = self->format;
  const char *name = action_name + strlen ("format.");
  GtkToggleButton *toggles[] = { format->inline_buttons[0], format->inline_buttons[1],
                                 format->inline_buttons[2], format->bullet_button,
                                 format->number_button,     format->quote_button };
  const char *names[] = { "bold", "italic", "underline", "bullet", "number", "quote" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      {
        gtk_toggle_button_set_active (toggles[i], !gtk_toggle_button_get_active (toggles[i]));
        return;
      }
  if (g_str_equal (name, "indent"))
    change_lines (self, PARAGRAPH_INDENT);
  else if (g_str_equal (name, "outdent"))
    change_lines (self, PARAGRAPH_OUTDENT);
  else if (g_str_equal (name, "link"))
    kontor_mail_composer_format_ask_link (self);
  else if (g_str_equal (name, "image"))
    kontor_mail_composer_format_choose_image (self);
}

void
kontor_mail_composer_class_init_format (GtkWidgetClass *widget_class)
{
  const struct
  {
    const char *action;
    guint key;
    GdkModifierType modifiers;
  } actions[] = {
    { "format.bold", GDK_KEY_b, GDK_CONTROL_MASK },
    { "format.italic", GDK_KEY_i, GDK_CONTROL_MASK },
    { "format.underline", GDK_KEY_u, GDK_CONTROL_MASK },
    { "format.bullet", 0, 0 },
    { "format.number", 0, 0 },
    { "format.quote", 0, 0 },
    { "format.indent", GDK_KEY_bracketright, GDK_CONTROL_MASK },
    { "format.outdent", GDK_KEY_bracketleft, GDK_CONTROL_MASK },
    { "format.link", GDK_KEY_k, GDK_CONTROL_MASK },
    { "format.image", 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gtk_widget_class_install_action (widget_class, actions[i].action, NULL, format_action);
      if (actions[i].key != 0)
        gtk_widget_class_add_binding_action (widget_class, actions[i].key, actions[i].modifiers,
                                             actions[i].action, NULL);
    }
}

void
kontor_mail_composer_init_format (KontorMailComposer *self)
{
  KontorMailComposerFormat *format = g_new0 (KontorMailComposerFormat, 1);
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);

  self->format = format;
  kontor_mail_rich_text_init_buffer (body_buffer (self));
  kontor_mail_composer_format_build (self);
  for (guint i = 0; i < G_N_ELEMENTS (format->inline_buttons); i++)
    g_signal_connect (format->inline_buttons[i], "toggled", G_CALLBACK (inline_toggled_cb), self);
  g_signal_connect (format->bullet_button, "toggled", G_CALLBACK (paragraph_toggled_cb), self);
  g_signal_connect (format->number_button, "toggled", G_CALLBACK (paragraph_toggled_cb), self);
  g_signal_connect (format->quote_button, "toggled", G_CALLBACK (paragraph_toggled_cb), self);
  g_signal_connect (format->rich_button, "toggled", G_CALLBACK (rich_toggled_cb), self);
  kontor_mail_composer_format_init_editing (self);
  show_rich (self, g_settings_get_boolean (settings, "mail-compose-rich-text"));
}

void
kontor_mail_composer_dispose_format (KontorMailComposer *self)
{
  if (self->format != NULL)
    kontor_mail_composer_format_dispose_editing (self);
}

void
kontor_mail_composer_finalize_format (KontorMailComposer *self)
{
  g_clear_pointer (&self->format, g_free);
}
