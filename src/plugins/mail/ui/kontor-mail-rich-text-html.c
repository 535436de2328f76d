/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-rich-text-html.c: the HTML of a rich message, and back. The HTML is the
 * simple kind every mail client renders: a <div> per line, <b>, <i>, <u>, <a>, nested
 * <ul>/<ol>, <blockquote> with an inline style, and <img src="cid:…">; it is also
 * well-formed XML, so the same subset is read back with GMarkup when a draft opens. */
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

/* Reading ------------------------------------------------------------------------------ */

typedef struct
{
  GtkTextBuffer *buffer;
  GHashTable *images; /* Content-ID -> file */
  KontorMailRichTextList lists[KONTOR_MAIL_RICH_TEXT_MAX_LEVEL + 1];
  guint depth; /* of lists, may go past the levels kept */
  guint quote; /* blockquotes open */
  guint styles[N_STYLES];
  GPtrArray *urls; /* of the open <a>s, NULL for one without href */
  gboolean line_open;
  int line;
  KontorMailRichTextLine style; /* of the open line */
} Reader;

static void
end_line (Reader *r)
{
  GtkTextIter end;

  if (!r->line_open)
    return;
  gtk_text_buffer_get_end_iter (r->buffer, &end);
  gtk_text_buffer_insert (r->buffer, &end, "\n", 1);
  kontor_mail_rich_text_set_line (r->buffer, r->line, &r->style);
  r->line_open = FALSE;
}

static void
begin_line (Reader *r)
{
  KontorMailRichTextLine *style = &r->style;

  if (r->line_open)
    return;
  r->line_open = TRUE;
  r->line = gtk_text_buffer_get_line_count (r->buffer) - 1;
  memset (style, 0, sizeof *style);
  style->quote = r->quote > 0;
  if (r->depth > 0)
    {
      style->level = MIN (r->depth, KONTOR_MAIL_RICH_TEXT_MAX_LEVEL);
      style->list = r->lists[style->level];
      /* Its marker first; the tags cover the whole line once it ends. */
      kontor_mail_rich_text_set_line (r->buffer, r->line, style);
    }
}

static const char *
current_url (Reader *r)
{
  for (guint i = r->urls->len; i > 0; i--)
    if (g_ptr_array_index (r->urls, i - 1) != NULL)
      return g_ptr_array_index (r->urls, i - 1);
  return NULL;
}

static void
insert_styled (Reader *r, const char *text, gsize length)
{
  GtkTextIter start, end;
  int offset;

  begin_line (r);
  gtk_text_buffer_get_end_iter (r->buffer, &end);
  offset = gtk_text_iter_get_offset (&end);
  gtk_text_buffer_insert (r->buffer, &end, text, (int) length);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, offset);
  gtk_text_buffer_get_end_iter (r->buffer, &end);
  for (guint s = STYLE_BOLD; s < N_STYLES; s++)
    if (r->styles[s] > 0)
      gtk_text_buffer_apply_tag_by_name (r->buffer, style_tags[s], &start, &end);
  if (current_url (r) != NULL)
    kontor_mail_rich_text_apply_link (r->buffer, &start, &end, current_url (r));
}

static const char *
attribute (const char **names, const char **values, const char *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], wanted) == 0)
      return values[i];
  return NULL;
}

static void
start_element_cb (GMarkupParseContext *context,
                  const char *element,
                  const char **names,
                  const char **values,
                  gpointer data,
                  GError **error)
{
  Reader *r = data;

  if (g_str_equal (element, "b") || g_str_equal (element, "strong"))
    r->styles[STYLE_BOLD]++;
  else if (g_str_equal (element, "i") || g_str_equal (element, "em"))
    r->styles[STYLE_ITALIC]++;
  else if (g_str_equal (element, "u"))
    r->styles[STYLE_UNDERLINE]++;
  else if (g_str_equal (element, "a"))
    g_ptr_array_add (r->urls, g_strdup (attribute (names, values, "href")));
  else if (g_str_equal (element, "br"))
    {
      begin_line (r);
      end_line (r);
    }
  else if (g_str_equal (element, "img"))
    {
      const char *src = attribute (names, values, "src");
      const char *alt = attribute (names, values, "alt");
      const char *path = src != NULL && g_str_has_prefix (src, "cid:")
                           ? g_hash_table_lookup (r->images, src + 4)
                           : NULL;
      GtkTextIter end;

      if (path == NULL)
        {
          if (alt != NULL)
            insert_styled (r, alt, strlen (alt));
          return;
        }
      begin_line (r);
      gtk_text_buffer_get_end_iter (r->buffer, &end);
      kontor_mail_rich_text_insert_image (r->buffer, &end, path, src + 4);
    }
  else if (g_str_equal (element, "ul") || g_str_equal (element, "ol"))
    {
      end_line (r);
      r->depth++;
      if (r->depth <= KONTOR_MAIL_RICH_TEXT_MAX_LEVEL)
        r->lists[r->depth] =
          element[0] == 'o' ? KONTOR_MAIL_RICH_TEXT_LIST_NUMBER : KONTOR_MAIL_RICH_TEXT_LIST_BULLET;
    }
  else if (g_str_equal (element, "blockquote"))
    {
      end_line (r);
      r->quote++;
    }
  else if (g_str_equal (element, "div") || g_str_equal (element, "p") ||
           g_str_equal (element, "li"))
    end_line (r);
}

static void
end_element_cb (GMarkupParseContext *context, const char *element, gpointer data, GError **error)
{
  Reader *r = data;

  if (g_str_equal (element, "b") || g_str_equal (element, "strong"))
    r->styles[STYLE_BOLD]--;
  else if (g_str_equal (element, "i") || g_str_equal (element, "em"))
    r->styles[STYLE_ITALIC]--;
  else if (g_str_equal (element, "u"))
    r->styles[STYLE_UNDERLINE]--;
  else if (g_str_equal (element, "a") && r->urls->len > 0)
    g_ptr_array_set_size (r->urls, r->urls->len - 1);
  else if (g_str_equal (element, "ul") || g_str_equal (element, "ol"))
    {
      end_line (r);
      r->depth--;
    }
  else if (g_str_equal (element, "blockquote"))
    {
      end_line (r);
      r->quote--;
    }
  else if (g_str_equal (element, "div") || g_str_equal (element, "p") ||
           g_str_equal (element, "li"))
    end_line (r);
}

static void
text_cb (GMarkupParseContext *context,
         const char *text,
         gsize length,
         gpointer data,
         GError **error)
{
  Reader *r = data;
  const char *element = g_markup_parse_context_get_element (context);
  GString *kept = g_string_sized_new (length);

  if (element == NULL || g_str_equal (element, "head") || g_str_equal (element, "title") ||
      g_str_equal (element, "style"))
    return;
  /* Line breaks in the source are layout; no-break spaces stand for spaces. */
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0xA0)
        g_string_append_c (kept, ' ');
      else if (c != '\n' && c != '\r')
        g_string_append_unichar (kept, c);
    }
  if (kept->len > 0)
    insert_styled (r, kept->str, kept->len);
  g_string_free (kept, TRUE);
}

/**
 * kontor_mail_rich_text_set_html:
 * @paths, @ids: the files of the images the HTML refers to as "cid:ID"
 *
 * Replaces the buffer's text with @html, the subset kontor_mail_rich_text_to_html()
 * writes. Returns: FALSE with a G_MARKUP_ERROR when it is not well-formed
 */
gboolean
kontor_mail_rich_text_set_html (GtkTextBuffer *buffer,
                                const char *html,
                                const char *const *paths,
                                const char *const *ids,
                                GError **error)
{
  static const GMarkupParser parser = { start_element_cb, end_element_cb, text_cb, NULL, NULL };
  Reader r = { 0 };
  g_autoptr (GMarkupParseContext) context = NULL;
  GtkTextIter start, end;
  gboolean ok;

  kontor_mail_rich_text_init_buffer (buffer);
  gtk_text_buffer_set_text (buffer, "", -1);
  r.buffer = buffer;
  r.images = g_hash_table_new (g_str_hash, g_str_equal);
  r.urls = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; paths != NULL && ids != NULL && paths[i] != NULL && ids[i] != NULL; i++)
    g_hash_table_insert (r.images, (gpointer) ids[i], (gpointer) paths[i]);
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &r, NULL);
  ok = g_markup_parse_context_parse (context, html, -1, error) &&
       g_markup_parse_context_end_parse (context, error);
  g_hash_table_unref (r.images);
  g_ptr_array_unref (r.urls);
  if (!ok)
    {
      gtk_text_buffer_set_text (buffer, "", -1);
      return FALSE;
    }
  /* Every line ended with a newline; the text does not. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  start = end;
  if (gtk_text_iter_backward_char (&start) && gtk_text_iter_get_char (&start) == '\n')
    gtk_text_buffer_delete (buffer, &start, &end);
  kontor_mail_rich_text_update_markers (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  return TRUE;
}
