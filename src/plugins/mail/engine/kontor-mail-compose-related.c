/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-compose-related.c: an HTML body with images shown in its text is a
 * multipart/related (RFC 2387): the HTML first, then each image with the Content-ID
 * the HTML refers to as "cid:", disposition inline, so readers show it in place rather
 * than as an attachment. Also the "inline-images" of Send's a{sv}. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-error.h"
#include "kontor-mail-compose-private.h"

/* Images are read whole: they are small next to what an attachment may be. */
static CamelMimePart *
image_part_new (const char *path, const char *content_id, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  gsize length;
  CamelMimePart *part;

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an absolute file name"), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, KONTOR_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? KONTOR_ERROR_NOT_FOUND
                     : KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The image cannot be read: %s"), local_error->message);
      return NULL;
    }
  basename = g_path_get_basename (path);
  name = g_filename_display_name (basename);
  content_type = g_content_type_guess (basename, (const guchar *) data, MIN (length, 4096), NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  if (mime_type == NULL || !g_str_has_prefix (mime_type, "image/"))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT, _ ("“%s” is not an image"),
                   name);
      return NULL;
    }
  part = camel_mime_part_new ();
  camel_mime_part_set_content (part, data, length, mime_type);
  camel_mime_part_set_content_id (part, content_id);
  camel_mime_part_set_disposition (part, "inline");
  kontor_mail_compose_set_filename (part, name);
  camel_mime_part_set_encoding (part, CAMEL_TRANSFER_ENCODING_BASE64);
  return part;
}

/* Returns: (transfer full): @html as it is when there are no images, else a part
 * holding the multipart/related of @html and the images. */
CamelMimePart *
kontor_mail_compose_related_new (CamelMimePart *html,
                                 const char *const *paths,
                                 const char *const *ids,
                                 GError **error)
{
  g_autoptr (CamelMultipart) related = NULL;
  CamelMimePart *part;

  if (paths == NULL || paths[0] == NULL)
    return g_object_ref (html);
  if (ids == NULL || g_strv_length ((GStrv) paths) != g_strv_length ((GStrv) ids))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("Each inline image needs its Content-ID"));
      return NULL;
    }
  related = camel_multipart_new ();
  camel_data_wrapper_set_mime_type (CAMEL_DATA_WRAPPER (related),
                                    "multipart/related; type=\"text/html\"");
  camel_multipart_set_boundary (related, NULL);
  camel_multipart_add_part (related, html);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr (CamelMimePart) image = image_part_new (paths[i], ids[i], error);

      if (image == NULL)
        return NULL;
      camel_multipart_add_part (related, image);
    }
  part = camel_mime_part_new ();
  camel_medium_set_content (CAMEL_MEDIUM (part), CAMEL_DATA_WRAPPER (related));
  return part;
}

/* Send's "inline-images" (a{ss}: Content-ID to file) into the fields. */
gboolean
kontor_mail_compose_fields_take_inline_images (KontorMailComposeFields *fields,
                                               GVariant *value,
                                               GError **error)
{
  g_autoptr (GStrvBuilder) paths = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  GVariantIter iter;
  const char *id, *path;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("a{ss}")))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The message field “%s” must be of type %s"), "inline-images", "a{ss}");
      return FALSE;
    }
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &id, &path))
    {
      if (!g_path_is_absolute (path))
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not an absolute file name"), path);
          return FALSE;
        }
      g_strv_builder_add (ids, id);
      g_strv_builder_add (paths, path);
    }
  g_strfreev (fields->inline_images);
  g_strfreev (fields->inline_ids);
  fields->inline_images = g_strv_builder_end (paths);
  fields->inline_ids = g_strv_builder_end (ids);
  return TRUE;
}
