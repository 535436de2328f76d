/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-search-result.c: an immutable search hit; the URI is what the shell opens. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-search-result.h"

struct _KontorSearchResult
{
  GObject parent_instance;

  char *title;
  char *subtitle;
  char *icon_name;
  char *uri;
};

G_DEFINE_FINAL_TYPE (KontorSearchResult, kontor_search_result, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_ICON_NAME,
  PROP_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kontor_search_result_finalize (GObject *object)
{
  KontorSearchResult *self = KONTOR_SEARCH_RESULT (object);

  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->icon_name);
  g_free (self->uri);

  G_OBJECT_CLASS (kontor_search_result_parent_class)->finalize (object);
}

static void
kontor_search_result_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorSearchResult *self = KONTOR_SEARCH_RESULT (object);

  switch (prop_id)
    {
      case PROP_TITLE:
        g_value_set_string (value, self->title);
        break;
      case PROP_SUBTITLE:
        g_value_set_string (value, self->subtitle);
        break;
      case PROP_ICON_NAME:
        g_value_set_string (value, self->icon_name);
        break;
      case PROP_URI:
        g_value_set_string (value, self->uri);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_search_result_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  KontorSearchResult *self = KONTOR_SEARCH_RESULT (object);

  switch (prop_id)
    {
      case PROP_TITLE:
        self->title = g_value_dup_string (value);
        break;
      case PROP_SUBTITLE:
        self->subtitle = g_value_dup_string (value);
        break;
      case PROP_ICON_NAME:
        self->icon_name = g_value_dup_string (value);
        break;
      case PROP_URI:
        self->uri = g_value_dup_string (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_search_result_class_init (KontorSearchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kontor_search_result_finalize;
  object_class->get_property = kontor_search_result_get_property;
  object_class->set_property = kontor_search_result_set_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL, flags);
  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, flags);
  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_search_result_init (KontorSearchResult *self)
{
}

KontorSearchResult *
kontor_search_result_new (const char *title,
                          const char *subtitle,
                          const char *icon_name,
                          const char *uri)
{
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  return g_object_new (KONTOR_TYPE_SEARCH_RESULT, "title", title, "subtitle", subtitle, "icon-name",
                       icon_name, "uri", uri, NULL);
}

const char *
kontor_search_result_get_title (KontorSearchResult *self)
{
  g_return_val_if_fail (KONTOR_IS_SEARCH_RESULT (self), NULL);
  return self->title;
}

const char *
kontor_search_result_get_subtitle (KontorSearchResult *self)
{
  g_return_val_if_fail (KONTOR_IS_SEARCH_RESULT (self), NULL);
  return self->subtitle;
}

const char *
kontor_search_result_get_icon_name (KontorSearchResult *self)
{
  g_return_val_if_fail (KONTOR_IS_SEARCH_RESULT (self), NULL);
  return self->icon_name;
}

const char *
kontor_search_result_get_uri (KontorSearchResult *self)
{
  g_return_val_if_fail (KONTOR_IS_SEARCH_RESULT (self), NULL);
  return self->uri;
}
