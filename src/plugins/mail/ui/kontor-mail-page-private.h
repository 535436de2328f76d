/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page-private.h: what the page's panes and its actions share. */
#pragma once

#include "kontor-mail-page.h"
#include "kontor-mail-reader.h"

G_BEGIN_DECLS

struct _KontorMailPage
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkListView *folder_view;
  GtkListView *message_view;
  GtkSearchEntry *search_entry;
  GtkLabel *search_error;
  GtkStack *list_stack;
  AdwStatusPage *empty_page;
  GtkRevealer *offline_revealer;
  GMenuModel *message_menu;
  GMenuModel *folder_menu;
  KontorMailReader *reader;

  /* Owned */
  KontorMailEngine *engine;
  GSettings *settings;
  GtkSingleSelection *folder_selection;
  GtkMultiSelection *message_selection;
  KontorMailMessageList *list;
  KontorMailFolder *menu_folder; /* the folder list's context menu acts on it */
  GHashTable *matches;           /* the search's message ids, or NULL */
  GHashTable *pending_hidden;    /* message ids waiting for their undo toast */
  GCancellable *cancellable;
  GCancellable *search_cancellable;
  char *folder_id; /* the folder chosen in the sidebar */
  char *list_id;   /* what the list shows: that folder, or every folder for a search */
  char *pending_show;
  char *sort;
  gboolean filter_unread;
  gboolean filter_flagged;
  gboolean filter_attachments;
  gboolean search_everywhere;
  gboolean threaded;
  guint mark_read_id;

  /* Borrowed: the Outbox's sidebar entry and view, in the widget tree */
  GtkListBox *outbox_sidebar;
  struct _KontorMailOutboxView *outbox_view;
  gboolean outbox_shown; /* in place of the message list */
};

void kontor_mail_page_report (KontorMailPage *self, const GError *error);
void kontor_mail_page_open_folder (KontorMailPage *self, const char *folder_id);
void kontor_mail_page_load_list (KontorMailPage *self, const char *list_id);
void kontor_mail_page_apply_hidden (KontorMailPage *self);
GPtrArray *kontor_mail_page_dup_selected_ids (KontorMailPage *self);
void kontor_mail_page_set_flags (KontorMailPage *self,
                                 GPtrArray *ids,
                                 const char *add,
                                 const char *remove);
void kontor_mail_page_class_init_actions (GtkWidgetClass *widget_class);
void kontor_mail_page_row_context_menu (GtkListItem *item,
                                        int n_press,
                                        double x,
                                        double y,
                                        GtkGestureClick *gesture);
GdkContentProvider *
kontor_mail_page_row_drag_prepare (GtkListItem *item, double x, double y, GtkDragSource *source);
void kontor_mail_page_init_drop (KontorMailPage *self);
void kontor_mail_page_popover_closed_cb (GtkPopover *popover);
void kontor_mail_page_show_preferences (KontorMailPage *self);

/* kontor-mail-preferences-identities.c */
AdwPreferencesGroup *kontor_mail_preferences_identities_new (KontorAccountService *accounts);
void kontor_mail_page_init_folder_menu (KontorMailPage *self);
void kontor_mail_page_class_init_folder_actions (GtkWidgetClass *widget_class);
void kontor_mail_page_search_changed (KontorMailPage *self);
void kontor_mail_page_class_init_compose (GtkWidgetClass *widget_class);
void kontor_mail_page_update_compose_actions (KontorMailPage *self);
void kontor_mail_page_init_outbox (KontorMailPage *self);
gboolean kontor_mail_page_leave_outbox (KontorMailPage *self);
void kontor_mail_page_class_init_drafts (GtkWidgetClass *widget_class);
void kontor_mail_page_init_drafts (KontorMailPage *self);

G_END_DECLS
