/* SPDX-License-Identifier: GPL-3.0-or-later */
/* eds-client.c: a second, independent EDS client for the account tests: it sees
 * what Kontor stored only through the source registry and the keyring, as GNOME
 * Calendar or Evolution would.
 *
 *   eds-client children UID SECONDS   waits for a calendar and an address book under
 *                                     UID; prints "calendar NAME", "address-book NAME"
 *   eds-client password UID           prints "stored" or "none" (never the secret)
 *   eds-client exists UID             exit 0 when the registry has the source */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <libedataserver/libedataserver.h>

static gboolean
is_descendant (ESourceRegistry *registry, ESource *source, const char *uid)
{
  g_autoptr (ESource) current = g_object_ref (source);

  while (current != NULL)
    {
      const char *parent = e_source_get_parent (current);
      ESource *next;

      if (parent == NULL || *parent == '\0')
        return FALSE;
      if (g_strcmp0 (parent, uid) == 0)
        return TRUE;
      next = e_source_registry_ref_source (registry, parent);
      g_object_unref (current);
      current = next;
    }
  return FALSE;
}

static int
children (ESourceRegistry *registry, const char *uid, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autolist (ESource) sources = e_source_registry_list_sources (registry, NULL);
      gboolean calendar = FALSE, book = FALSE;

      for (GList *l = sources; l != NULL; l = l->next)
        if (is_descendant (registry, l->data, uid))
          {
            calendar |= e_source_has_extension (l->data, E_SOURCE_EXTENSION_CALENDAR);
            book |= e_source_has_extension (l->data, E_SOURCE_EXTENSION_ADDRESS_BOOK);
          }

      if (calendar && book)
        {
          for (GList *l = sources; l != NULL; l = l->next)
            if (is_descendant (registry, l->data, uid))
              {
                if (e_source_has_extension (l->data, E_SOURCE_EXTENSION_CALENDAR))
                  g_print ("calendar %s\n", e_source_get_display_name (l->data));
                if (e_source_has_extension (l->data, E_SOURCE_EXTENSION_ADDRESS_BOOK))
                  g_print ("address-book %s\n", e_source_get_display_name (l->data));
              }
          return 0;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (100 * 1000);
    }
  return 1;
}

int
main (int argc, char *argv[])
{
  g_autoptr (ESourceRegistry) registry = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ESource) source = NULL;

  if (argc < 3)
    {
      g_printerr ("usage: eds-client children|password|exists UID [SECONDS]\n");
      return 2;
    }

  registry = e_source_registry_new_sync (NULL, &error);
  if (registry == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (g_str_equal (argv[1], "children"))
    return children (registry, argv[2], argc > 3 ? atoi (argv[3]) : 10);

  source = e_source_registry_ref_source (registry, argv[2]);
  if (g_str_equal (argv[1], "exists"))
    return source != NULL ? 0 : 1;

  if (g_str_equal (argv[1], "password"))
    {
      g_autofree char *password = NULL;

      if (source == NULL)
        source = e_source_new_with_uid (argv[2], NULL, NULL);
      if (source != NULL && e_source_lookup_password_sync (source, NULL, &password, NULL) &&
          password != NULL)
        g_print ("stored\n");
      else
        g_print ("none\n");
      return 0;
    }
  return 2;
}
