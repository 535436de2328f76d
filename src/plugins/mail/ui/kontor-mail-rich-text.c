/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-rich-text.c: the rich text of a message lives in a GtkTextBuffer. Bold,
 * italic, underline and links are tags on characters; a line is a paragraph, and its
 * tags ("quote", "bullet" or "number" with a "level-N") cover it up to and including
 * its newline. A list item starts with a marker ("• ", "2. ") that is text tagged
 * "marker", kept right by kontor_mail_rich_text_update_markers() and never part of
 * what is sent as such. Images are child anchors carrying their file and Content-ID.
 * The plain form is what the text/plain part of a rich message says: lists as "- " and
 * "1. ", quotes as "> ", links as "text <url>", images as their name. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include "kontor-mail-rich-text.h"

#define URL_KEY  "kontor-url"
#define PATH_KEY "kontor-image-path"
#define ID_KEY   "kontor-image-id"

static const char *const level_tags[] = { NULL, "level-1", "level-2", "level-3" };

void
kontor_mail_rich_text_init_buffer (GtkTextBuffer *buffer)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GdkRGBA shade = { 0.5, 0.5, 0.5, 0.12 };

  if (gtk_text_tag_table_lookup (table, "bold") != NULL)
    return;
  gtk_text_buffer_create_tag (buffer, "bold", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "italic", "style", PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "underline", "underline", PANGO_UNDERLINE_SINGLE, NULL);
  gtk_text_buffer_create_tag (buffer, "quote", "left-margin", 28, "paragraph-background-rgba",
                              &shade, NULL);
  gtk_text_buffer_create_tag (buffer, "bullet", NULL);
  gtk_text_buffer_create_tag (buffer, "number", NULL);
  for (guint level = 1; level <= KONTOR_MAIL_RICH_TEXT_MAX_LEVEL; level++)
    gtk_text_buffer_create_tag (buffer, level_tags[level], "left-margin", 12 + 24 * level, NULL);
  gtk_text_buffer_create_tag (buffer, "marker", NULL);
  /* Without a tag of its own, GTK 4.8 places a picture with the margins of another
   * line once lines above it come or go. */
  gtk_text_buffer_create_tag (buffer, "image", NULL);
}

static gboolean
has_tag (const GtkTextIter *iter, const char *name)
{
  GtkTextBuffer *buffer = gtk_text_iter_get_buffer (iter);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);

  return tag != NULL && gtk_text_iter_has_tag (iter, tag);
}

gboolean
kontor_mail_rich_text_is_marker (const GtkTextIter *iter)
{
  return has_tag (iter, "marker");
}

void
kontor_mail_rich_text_get_line (GtkTextBuffer *buffer, int line, KontorMailRichTextLine *style)
{
  GtkTextIter start;

  memset (style, 0, sizeof *style);
  gtk_text_buffer_get_iter_at_line (buffer, &start, line);
  style->quote = has_tag (&start, "quote");
  if (has_tag (&start, "bullet"))
    style->list = KONTOR_MAIL_RICH_TEXT_LIST_BULLET;
  else if (has_tag (&start, "number"))
    style->list = KONTOR_MAIL_RICH_TEXT_LIST_NUMBER;
  if (style->list != KONTOR_MAIL_RICH_TEXT_LIST_NONE)
    {
      style->level = 1;
      for (guint level = 1; level <= KONTOR_MAIL_RICH_TEXT_MAX_LEVEL; level++)
        if (has_tag (&start, level_tags[level]))
          style->level = level;
    }
}

static void
apply_line_tags (GtkTextBuffer *buffer,
                 GtkTextIter *start,
                 GtkTextIter *end,
                 const KontorMailRichTextLine *style)
{
  const char *const paragraph_tags[] = { "quote",   "bullet",  "number",
                                         "level-1", "level-2", "level-3" };

  for (guint i = 0; i < G_N_ELEMENTS (paragraph_tags); i++)
    gtk_text_buffer_remove_tag_by_name (buffer, paragraph_tags[i], start, end);
  if (style->quote)
    gtk_text_buffer_apply_tag_by_name (buffer, "quote", start, end);
  if (style->list == KONTOR_MAIL_RICH_TEXT_LIST_NONE)
    return;
  gtk_text_buffer_apply_tag_by_name (
    buffer, style->list == KONTOR_MAIL_RICH_TEXT_LIST_BULLET ? "bullet" : "number", start, end);
  gtk_text_buffer_apply_tag_by_name (
    buffer, level_tags[CLAMP (style->level, 1, KONTOR_MAIL_RICH_TEXT_MAX_LEVEL)], start, end);
}

static void insert_marker (GtkTextBuffer *buffer, int line, const char *marker);

void
kontor_mail_rich_text_set_line (GtkTextBuffer *buffer,
                                int line,
                                const KontorMailRichTextLine *style)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_line (buffer, &start, line);
  end = start;
  gtk_text_iter_forward_line (&end);
  /* The last line, empty, has nothing to carry the tags but a marker. */
  if (gtk_text_iter_equal (&start, &end) && style->list != KONTOR_MAIL_RICH_TEXT_LIST_NONE)
    {
      insert_marker (buffer, line, style->list == KONTOR_MAIL_RICH_TEXT_LIST_BULLET ? "• " : "1. ");
      gtk_text_buffer_get_iter_at_line (buffer, &start, line);
      gtk_text_buffer_get_end_iter (buffer, &end);
    }
  apply_line_tags (buffer, &start, &end, style);
}

/* The marker a line should start with, counting numbered items per level; NULL for a
 * line that is no list item. */
static char *
expected_marker (guint *counters, const KontorMailRichTextLine *style)
{
  guint level = CLAMP (style->level, 1, KONTOR_MAIL_RICH_TEXT_MAX_LEVEL);

  if (style->list == KONTOR_MAIL_RICH_TEXT_LIST_NONE)
    {
      memset (counters, 0, sizeof (guint) * (KONTOR_MAIL_RICH_TEXT_MAX_LEVEL + 1));
      return NULL;
    }
  for (guint deeper = level + 1; deeper <= KONTOR_MAIL_RICH_TEXT_MAX_LEVEL; deeper++)
    counters[deeper] = 0;
  if (style->list == KONTOR_MAIL_RICH_TEXT_LIST_BULLET)
    {
      counters[level] = 0;
      return g_strdup ("• ");
    }
  return g_strdup_printf ("%u. ", ++counters[level]);
}

static void
insert_marker (GtkTextBuffer *buffer, int line, const char *marker)
{
  GtkTextIter start;

  gtk_text_buffer_get_iter_at_line (buffer, &start, line);
  gtk_text_buffer_insert_with_tags_by_name (buffer, &start, marker, -1, "marker", NULL);
}

void
kontor_mail_rich_text_update_markers (GtkTextBuffer *buffer)
{
  guint counters[KONTOR_MAIL_RICH_TEXT_MAX_LEVEL + 1] = { 0 };

  for (int line = 0; line < gtk_text_buffer_get_line_count (buffer); line++)
    {
      KontorMailRichTextLine style;
      GtkTextIter start, end;
      g_autofree char *existing = NULL;
      g_autofree char *expected = NULL;

      kontor_mail_rich_text_get_line (buffer, line, &style);
      expected = expected_marker (counters, &style);
      gtk_text_buffer_get_iter_at_line (buffer, &start, line);
      end = start;
      while (!gtk_text_iter_ends_line (&end) && kontor_mail_rich_text_is_marker (&end))
        gtk_text_iter_forward_char (&end);
      existing = gtk_text_iter_get_slice (&start, &end);
      if (g_strcmp0 (existing, expected != NULL ? expected : "") == 0)
        continue;
      gtk_text_buffer_delete (buffer, &start, &end);
      /* A marker the user took apart (Backspace at the item's start) ends the item. */
      if (expected != NULL && *existing != '\0' && !g_str_has_suffix (existing, " "))
        {
          style.list = KONTOR_MAIL_RICH_TEXT_LIST_NONE;
          style.level = 0;
          kontor_mail_rich_text_set_line (buffer, line, &style);
          expected_marker (counters, &style);
          continue;
        }
      if (expected != NULL)
        {
          insert_marker (buffer, line, expected);
          kontor_mail_rich_text_set_line (buffer, line, &style);
        }
    }
}

gboolean
kontor_mail_rich_text_has_formatting (GtkTextBuffer *buffer)
{
  GtkTextIter iter, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  if (gtk_text_iter_starts_tag (&iter, NULL))
    return TRUE;
  if (gtk_text_iter_forward_to_tag_toggle (&iter, NULL) && !gtk_text_iter_is_end (&iter))
    return TRUE;
  gtk_text_buffer_get_start_iter (buffer, &iter);
  return gtk_text_iter_forward_search (&iter, "\xef\xbf\xbc", 0, &match_start, &match_end, NULL);
}

/* Links and images -------------------------------------------------------------------- */

void
kontor_mail_rich_text_apply_link (GtkTextBuffer *buffer,
                                  const GtkTextIter *start,
                                  const GtkTextIter *end,
                                  const char *url)
{
  GtkTextIter iter = *start;
  GtkTextTag *tag;

  /* Whatever link was there gives way. */
  while (gtk_text_iter_compare (&iter, end) < 0)
    {
      g_autoptr (GSList) tags = gtk_text_iter_get_tags (&iter);

      for (GSList *l = tags; l != NULL; l = l->next)
        if (g_object_get_data (l->data, URL_KEY) != NULL)
          gtk_text_buffer_remove_tag (buffer, l->data, start, end);
      gtk_text_iter_forward_char (&iter);
    }
  if (url == NULL || *url == '\0')
    return;
  tag = gtk_text_buffer_create_tag (buffer, NULL, "foreground", "#3584e4", "underline",
                                    PANGO_UNDERLINE_SINGLE, NULL);
  g_object_set_data_full (G_OBJECT (tag), URL_KEY, g_strdup (url), g_free);
  gtk_text_buffer_apply_tag (buffer, tag, start, end);
}

const char *
kontor_mail_rich_text_get_link (const GtkTextIter *iter)
{
  g_autoptr (GSList) tags = gtk_text_iter_get_tags (iter);

  for (GSList *l = tags; l != NULL; l = l->next)
    if (g_object_get_data (l->data, URL_KEY) != NULL)
      return g_object_get_data (l->data, URL_KEY);
  return NULL;
}

/* @content_id: NULL for a new one */
void
kontor_mail_rich_text_insert_image (GtkTextBuffer *buffer,
                                    GtkTextIter *iter,
                                    const char *path,
                                    const char *content_id)
{
  g_autoptr (GtkTextChildAnchor) anchor = gtk_text_child_anchor_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  GtkTextIter start;

  g_object_set_data_full (G_OBJECT (anchor), PATH_KEY, g_strdup (path), g_free);
  g_object_set_data_full (
    G_OBJECT (anchor), ID_KEY,
    content_id != NULL ? g_strdup (content_id) : g_strdup_printf ("%s@kontor", uuid), g_free);

  gtk_text_buffer_insert_child_anchor (buffer, iter, anchor);
  start = *iter;
  gtk_text_iter_backward_char (&start);
  gtk_text_buffer_apply_tag_by_name (buffer, "image", &start, iter);
}

const char *
kontor_mail_rich_text_anchor_get_path (GtkTextChildAnchor *anchor)
{
  return g_object_get_data (G_OBJECT (anchor), PATH_KEY);
}

/* Plain text -------------------------------------------------------------------------- */

static void
append_link_end (GString *out, gsize link_start, const char *url)
{
  if (url != NULL && !g_str_equal (out->str + link_start, url))
    g_string_append_printf (out, " <%s>", url);
}

char *
kontor_mail_rich_text_to_plain (GtkTextBuffer *buffer)
{
  GString *out = g_string_new (NULL);
  guint counters[KONTOR_MAIL_RICH_TEXT_MAX_LEVEL + 1] = { 0 };
  int lines = gtk_text_buffer_get_line_count (buffer);

  for (int line = 0; line < lines; line++)
    {
      KontorMailRichTextLine style;
      g_autofree char *marker = NULL;
      const char *url = NULL;
      gsize line_start = out->len, link_start = 0;
      GtkTextIter iter;

      kontor_mail_rich_text_get_line (buffer, line, &style);
      marker = expected_marker (counters, &style);
      if (style.quote)
        g_string_append (out, "> ");
      if (marker != NULL)
        {
          for (guint l = 1; l < style.level; l++)
            g_string_append (out, "  ");
          g_string_append (out, style.list == KONTOR_MAIL_RICH_TEXT_LIST_BULLET ? "- " : marker);
        }
      gtk_text_buffer_get_iter_at_line (buffer, &iter, line);
      for (; !gtk_text_iter_ends_line (&iter); gtk_text_iter_forward_char (&iter))
        {
          GtkTextChildAnchor *anchor = gtk_text_iter_get_child_anchor (&iter);
          const char *here = kontor_mail_rich_text_get_link (&iter);

          if (kontor_mail_rich_text_is_marker (&iter))
            continue;
          if (g_strcmp0 (here, url) != 0)
            {
              append_link_end (out, link_start, url);
              url = here;
              link_start = out->len;
            }
          if (anchor != NULL)
            {
              const char *path = kontor_mail_rich_text_anchor_get_path (anchor);
              g_autofree char *name = path != NULL ? g_filename_display_basename (path) : NULL;

              if (name != NULL)
                g_string_append_printf (out, "[%s]", name);
            }
          else
            g_string_append_unichar (out, gtk_text_iter_get_char (&iter));
        }
      append_link_end (out, link_start, url);
      /* An empty quoted line is ">", not "> ": a trailing space would be a soft break. */
      if (out->len > line_start && out->str[out->len - 1] == ' ' && style.quote &&
          out->len - line_start == 2)
        g_string_truncate (out, out->len - 1);
      if (line + 1 < lines)
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Plain text as it comes in a reply or a plain draft: lines quoted with ">" become one
 * level of quote (deeper levels keep their further ">"). */
void
kontor_mail_rich_text_set_plain (GtkTextBuffer *buffer, const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  GtkTextIter iter;

  gtk_text_buffer_set_text (buffer, "", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      KontorMailRichTextLine style = { 0 };

      if (line[0] == '>')
        {
          style.quote = TRUE;
          line += line[1] == ' ' ? 2 : 1;
        }
      gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_buffer_insert (buffer, &iter, line, -1);
      if (lines[i + 1] != NULL)
        gtk_text_buffer_insert (buffer, &iter, "\n", 1);
      if (style.quote)
        kontor_mail_rich_text_set_line (buffer, (int) i, &style);
    }
}
