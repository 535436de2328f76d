/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-rich-text-html.c: the HTML of a rich message. It is the simple kind
 * every mail client renders: a <div> per line, <b>, <i>, <u>, <a>, nested <ul>/<ol>,
 * <blockquote> with an inline style, and <img src="cid:…">; it is also well-formed
 * XML, so kontor-mail-rich-text-read.c reads it back with GMarkup. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include "kontor-mail-rich-text.h"

#define QUOTE_OPEN \
  "<blockquote style=\"margin:0 0 0 0.8ex;border-left:2px solid #8f8f8f;padding-left:1ex\">"

/* Writing ------------------------------------------------------------------------------ */

enum
{
  STYLE_LINK,
  STYLE_BOLD,
  STYLE_ITALIC,
  STYLE_UNDERLINE,
  N_STYLES
};

static const char *const style_tags[] = { NULL, "bold", "italic", "underline" };
static const char *const style_elements[] = { "a", "b", "i", "u" };

typedef struct
{
  GString *out;
  GStrvBuilder *paths;
  GStrvBuilder *ids;
  const char *open[N_STYLES]; /* the link's URL, or "" for an open b/i/u; in nesting order */
  guint n_open;
  guint open_kind[N_STYLES];
  KontorMailRichTextList lists[KONTOR_MAIL_RICH_TEXT_MAX_LEVEL + 1];
  guint depth;
  gboolean quote;
} Writer;

static void
close_styles (Writer *w, guint keep)
{
  while (w->n_open > keep)
    {
      w->n_open--;
      g_string_append_printf (w->out, "</%s>", style_elements[w->open_kind[w->n_open]]);
    }
}

/* Opens and closes the inline elements so that exactly those of @iter are open,
 * closing no more than needed. */
static void
set_styles (Writer *w, const GtkTextIter *iter)
{
  const char *wanted[N_STYLES];
  guint kinds[N_STYLES], n = 0, same = 0;
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (gtk_text_iter_get_buffer (iter));
  const char *url = kontor_mail_rich_text_get_link (iter);

  if (url != NULL)
    {
      wanted[n] = url;
      kinds[n++] = STYLE_LINK;
    }
  for (guint s = STYLE_BOLD; s < N_STYLES; s++)
    if (gtk_text_iter_has_tag (iter, gtk_text_tag_table_lookup (table, style_tags[s])))
      {
        wanted[n] = "";
        kinds[n++] = s;
      }
  while (same < n && same < w->n_open && kinds[same] == w->open_kind[same] &&
         g_str_equal (wanted[same], w->open[same]))
    same++;
  close_styles (w, same);
  for (; w->n_open < n; w->n_open++)
    {
      w->open[w->n_open] = wanted[w->n_open];
      w->open_kind[w->n_open] = kinds[w->n_open];
      if (kinds[w->n_open] == STYLE_LINK)
        {
          g_autofree char *escaped = g_markup_escape_text (url, -1);

          g_string_append_printf (w->out, "<a href=\"%s\">", escaped);
        }
      else
        g_string_append_printf (w->out, "<%s>", style_elements[kinds[w->n_open]]);
    }
}

static void
write_image (Writer *w, GtkTextChildAnchor *anchor)
{
  const char *path = kontor_mail_rich_text_anchor_get_path (anchor);
  const char *id = g_object_get_data (G_OBJECT (anchor), "kontor-image-id");
  g_autofree char *name = NULL;
  g_autofree char *escaped_name = NULL;
  g_autofree char *escaped_id = NULL;

  if (path == NULL || id == NULL)
    return;
  name = g_filename_display_basename (path);
  escaped_name = g_markup_escape_text (name, -1);
  escaped_id = g_markup_escape_text (id, -1);
  g_string_append_printf (w->out, "<img src=\"cid:%s\" alt=\"%s\" style=\"max-width:100%%\"/>",
                          escaped_id, escaped_name);
  g_strv_builder_add (w->paths, path);
  g_strv_builder_add (w->ids, id);
}

/* The line's text; returns whether it wrote anything. */
static gboolean
write_content (Writer *w, GtkTextBuffer *buffer, int line)
{
  GtkTextIter iter;
  gsize before = w->out->len;
  gboolean wrote = FALSE;
  gunichar previous = ' ';

  gtk_text_buffer_get_iter_at_line (buffer, &iter, line);
  for (; !gtk_text_iter_ends_line (&iter); gtk_text_iter_forward_char (&iter))
    {
      GtkTextChildAnchor *anchor = gtk_text_iter_get_child_anchor (&iter);
      gunichar c = gtk_text_iter_get_char (&iter);
      char utf8[7] = { 0 };

      if (kontor_mail_rich_text_is_marker (&iter))
        continue;
      set_styles (w, &iter);
      wrote = TRUE;
      if (anchor != NULL)
        {
          write_image (w, anchor);
          previous = 0xFFFC;
          continue;
        }
      /* HTML folds runs of spaces; a space after a space (or first) is kept as such. */
      if (c == ' ' && previous == ' ')
        g_string_append (w->out, "&#160;");
      else
        {
          g_autofree char *escaped = NULL;

          g_unichar_to_utf8 (c, utf8);
          escaped = g_markup_escape_text (utf8, -1);
          g_string_append (w->out, escaped);
        }
      previous = c;
    }
  close_styles (w, 0);
  return wrote && w->out->len > before;
}

static void
close_lists (Writer *w, guint depth)
{
  while (w->depth > depth)
    {
      g_string_append_printf (w->out, "</li></%s>\n",
                              w->lists[w->depth] == KONTOR_MAIL_RICH_TEXT_LIST_NUMBER ? "ol"
                                                                                      : "ul");
      w->depth--;
    }
}

static void
open_item (Writer *w, const KontorMailRichTextLine *style)
{
  guint level = CLAMP (style->level, 1, KONTOR_MAIL_RICH_TEXT_MAX_LEVEL);

  close_lists (w, level);
  if (w->depth == level && w->lists[level] != style->list)
    close_lists (w, level - 1);
  if (w->depth == level)
    g_string_append (w->out, "</li>\n");
  while (w->depth < level)
    {
      w->depth++;
      w->lists[w->depth] = w->depth == level ? style->list : KONTOR_MAIL_RICH_TEXT_LIST_BULLET;
      g_string_append (w->out,
                       w->lists[w->depth] == KONTOR_MAIL_RICH_TEXT_LIST_NUMBER ? "<ol>" : "<ul>");
      if (w->depth < level)
        g_string_append (w->out, "<li>");
    }
  g_string_append (w->out, "<li>");
}

/**
 * kontor_mail_rich_text_to_html:
 * @out_paths: (out): the images' files, in the order of @out_ids
 * @out_ids: (out): their Content-IDs, which the HTML refers to as "cid:"
 */
char *
kontor_mail_rich_text_to_html (GtkTextBuffer *buffer, GStrv *out_paths, GStrv *out_ids)
{
  Writer w = { 0 };
  int lines = gtk_text_buffer_get_line_count (buffer);

  w.out = g_string_new ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/></head>"
                        "<body>\n");
  w.paths = g_strv_builder_new ();
  w.ids = g_strv_builder_new ();
  for (int line = 0; line < lines; line++)
    {
      KontorMailRichTextLine style;

      kontor_mail_rich_text_get_line (buffer, line, &style);
      if (style.quote != w.quote)
        {
          close_lists (&w, 0);
          g_string_append (w.out, style.quote ? QUOTE_OPEN "\n" : "</blockquote>\n");
          w.quote = style.quote;
        }
      if (style.list != KONTOR_MAIL_RICH_TEXT_LIST_NONE)
        {
          open_item (&w, &style);
          if (!write_content (&w, buffer, line))
            g_string_append (w.out, "<br/>");
          continue;
        }
      close_lists (&w, 0);
      g_string_append (w.out, "<div>");
      if (!write_content (&w, buffer, line))
        g_string_append (w.out, "<br/>");
      g_string_append (w.out, "</div>\n");
    }
  close_lists (&w, 0);
  if (w.quote)
    g_string_append (w.out, "</blockquote>\n");
  g_string_append (w.out, "</body></html>\n");
  *out_paths = g_strv_builder_end (w.paths);
  *out_ids = g_strv_builder_end (w.ids);
  g_strv_builder_unref (w.paths);
  g_strv_builder_unref (w.ids);
  return g_string_free (w.out, FALSE);
}
