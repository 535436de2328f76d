/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-paste.c: pasting into the text attaches what is not text. Files
 * copied in a file manager (a file list or text/uri-list) are attached as they are; an
 * image (a screenshot, an image copied in a browser) is written as a PNG into the
 * draft's own folder, beside the draft file, so that it survives a crash with the
 * draft, and attached, unless text comes with it. Text pastes as before. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kontor-mail-composer-private.h"

static void
files_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailComposer) self = user_data;
  g_autoptr (GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);
  guint skipped = 0;

  if (value == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kontor_mail_composer_toast (self, error->message);
      return;
    }
  for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);

      if (path != NULL)
        kontor_mail_composer_add_attachment (self, path);
      else
        skipped++;
    }
  if (skipped > 0)
    kontor_mail_composer_toast (self, _ ("Only files on this computer can be attached"));
}

/* "Pasted image.png", else "Pasted image 2.png" and so on: a new name in @dir. */
static char *
dup_free_name (const char *dir)
{
  for (guint i = 1;; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf ("%s.png", _ ("Pasted image"))
                                     : g_strdup_printf ("%s %u.png", _ ("Pasted image"), i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
}

static void
image_written_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailComposer) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kontor_mail_composer_toast (self, error->message);
      return;
    }
  path = g_file_get_path (G_FILE (object));
  kontor_mail_composer_add_attachment (self, path);
}

static void
texture_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailComposer) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture =
    gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);
  g_autoptr (GBytes) png = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kontor_mail_composer_toast (self, error->message);
      return;
    }
  /* The draft's folder: the image is deleted with the draft, and kept with it. */
  dir = g_strconcat (self->draft_path, ".parts", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      kontor_mail_composer_toast (self, g_strerror (errno));
      return;
    }
  png = gdk_texture_save_to_png_bytes (texture);
  path = dup_free_name (dir);
  file = g_file_new_for_path (path);
  g_file_replace_contents_bytes_async (file, png, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       self->cancellable, image_written_cb, g_object_ref (self));
}

/* Runs before the text view's own handler, which pastes text. */
static void
paste_clipboard_cb (GtkTextView *view, KontorMailComposer *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));
  g_autoptr (GdkContentFormats) formats = gdk_content_formats_union_deserialize_gtypes (
    gdk_content_formats_ref (gdk_clipboard_get_formats (clipboard)));

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    {
      g_signal_stop_emission_by_name (view, "paste-clipboard");
      gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT,
                                      self->cancellable, files_read_cb, g_object_ref (self));
    }
  /* Office programs offer a picture of the text they copy too: text wins over that. */
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE) &&
           !gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    {
      g_signal_stop_emission_by_name (view, "paste-clipboard");
      gdk_clipboard_read_texture_async (clipboard, self->cancellable, texture_read_cb,
                                        g_object_ref (self));
    }
}

void
kontor_mail_composer_init_paste (KontorMailComposer *self)
{
  g_signal_connect (self->body_view, "paste-clipboard", G_CALLBACK (paste_clipboard_cb), self);
}
