from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from projects.selectors import project_for, projects_of
from projects.services import delete_project
from raffles.selectors import project_totals

from .serializers import ProjectDetailSerializer, ProjectSerializer


@extend_schema_view(
    list=extend_schema(summary="List your projects, newest first"),
    create=extend_schema(
        summary="Create a project", responses={201: ProjectDetailSerializer}
    ),
    retrieve=extend_schema(summary="A project with its totals"),
    update=extend_schema(summary="Change a project (all fields)"),
    partial_update=extend_schema(summary="Change some fields of a project"),
    destroy=extend_schema(
        summary="Delete a project with no reserved or paid numbers, together "
        "with its sets, numbers, prizes, draws and the history of its "
        "released or refunded numbers",
        responses={204: None},
    ),
)
class ProjectViewSet(viewsets.GenericViewSet):
    serializer_class = ProjectSerializer
    lookup_field = "ref"
    lookup_url_kwarg = "project_ref"

    def get_queryset(self):
        return projects_of(self.request.user)

    def get_object(self):
        return project_for(self.request.user, self.kwargs["project_ref"])

    def get_serializer_class(self):
        if self.action == "list":
            return ProjectSerializer
        return ProjectDetailSerializer

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProjectSerializer(page, many=True).data)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = serializer.save()
        return Response(_detail(project), status=status.HTTP_201_CREATED)

    def retrieve(self, request, project_ref):
        return Response(_detail(self.get_object()))

    def update(self, request, project_ref, partial=False):
        project = self.get_object()
        serializer = self.get_serializer(project, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(_detail(serializer.save()))

    def partial_update(self, request, project_ref):
        return self.update(request, project_ref, partial=True)

    def destroy(self, request, project_ref):
        delete_project(project=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _detail(project):
    project.totals = project_totals(project)
    return ProjectDetailSerializer(project).data
